export type { McpTransportConfig } from "./mcp-connection.js";
export { type McpErrorCode, McpSourceError } from "./mcp-errors.js";
export type { McpAttachment, McpToolOutput } from "./mcp-result.js";
export { createMcpSource, type McpSourceOptions, type McpToolSource } from "./mcp-source.js";
