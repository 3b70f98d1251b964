export type { Caller } from "./caller.js";
export { type DefineToolOptions, defineTool } from "./define-tool.js";
export { type JSONSchema7, jsonSchemaValidator, type SchemaIssue } from "./json-schema.js";
export { type Tool, type ToolRunContext, type ToolSpec, toolSpec } from "./tool.js";
export { isToolSource, type SensitiveValue, type ToolSource } from "./tool-source.js";
