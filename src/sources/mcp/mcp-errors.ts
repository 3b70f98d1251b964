import { FlmError, type FlmErrorOptions } from "../../errors/flm-error.js";

export type McpErrorCode =
  | "MCP_CONFIG_INVALID"
  | "MCP_CONNECTION_FAILED"
  | "MCP_TOOL_ERROR"
  | "MCP_CALL_FAILED"
  | "MCP_TIMEOUT"
  | "MCP_SOURCE_CLOSED";

/** Everything an MCP source throws. `server` and `tool` say where, never any argument values. */
export class McpSourceError extends FlmError {
  static override readonly marker: string = "federated-lm.McpSourceError";
  declare readonly code: McpErrorCode;
  readonly server: string;
  readonly tool?: string;

  constructor(
    code: McpErrorCode,
    message: string,
    where: { server: string; tool?: string },
    options: FlmErrorOptions = {},
  ) {
    super(code, message, options);
    this.server = where.server;
    this.tool = where.tool;
  }
}
