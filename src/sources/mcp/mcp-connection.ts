import type { Readable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { McpSourceError } from "./mcp-errors.js";

export type McpTransportConfig =
  | { kind: "stdio"; command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { kind: "http"; url: string; headers?: Record<string, string> };

const STDERR_TAIL = 2_000;
const CLIENT_INFO = { name: "federated-lm", version: "0.1.0" };

/**
 * One live MCP client, opened on first use. A dropped connection (child exited, HTTP server
 * gone, session forgotten) is replaced by a fresh one; callers decide how often to retry.
 */
export class McpConnection {
  private client?: Client;
  private transport?: Transport;
  private opening?: Promise<Client>;
  private dropped = false;
  private closed = false;
  private stderrTail = "";

  constructor(
    private readonly server: string,
    private readonly config: McpTransportConfig,
    private readonly connectTimeoutMs: number,
  ) {}

  /** True when a connection was open and then went away without `close()`. */
  get isDropped(): boolean {
    return this.dropped;
  }

  /** The stdio child's pid while connected (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.transport instanceof StdioClientTransport ? (this.transport.pid ?? undefined) : undefined;
  }

  get serverVersion(): { name: string; version: string } | undefined {
    return this.client?.getServerVersion();
  }

  /** The open client, connecting first if needed (also after a drop). */
  async get(): Promise<Client> {
    if (this.closed) throw this.closedError();
    if (this.client && !this.dropped) return this.client;
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /** Throws away the current client and opens a new one. */
  async reconnect(): Promise<Client> {
    await this.dispose();
    return this.get();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    await this.dispose();
  }

  private async open(): Promise<Client> {
    await this.dispose();
    const transport = this.createTransport();
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    client.onclose = () => {
      // Only the current client's close counts; an old one closing late must not mark a new one.
      if (this.client === client && !this.closed) this.dropped = true;
    };
    client.onerror = () => {
      // Transport errors surface on the pending request; nothing to do here.
    };
    try {
      await client.connect(transport, { timeout: this.connectTimeoutMs });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new McpSourceError(
        "MCP_CONNECTION_FAILED",
        `Could not connect to MCP server "${this.server}" (${describe(this.config)}): ${messageOf(error)}.` +
          (this.stderrTail ? ` Server stderr: ${this.stderrTail.trim().slice(-500)}` : ""),
        { server: this.server },
        {
          cause: error,
          hint:
            this.config.kind === "stdio"
              ? "Check the command and arguments run the server by hand, and that it speaks MCP over stdio."
              : "Check the URL points at a Streamable HTTP MCP endpoint and the server is running.",
        },
      );
    }
    if (this.closed) {
      await client.close().catch(() => undefined);
      throw this.closedError();
    }
    this.client = client;
    this.transport = transport;
    this.dropped = false;
    return client;
  }

  private createTransport(): Transport {
    if (this.config.kind === "stdio") {
      const transport = new StdioClientTransport({
        command: this.config.command,
        args: this.config.args,
        env: this.config.env,
        cwd: this.config.cwd,
        // Piped, not inherited: servers log to stderr and that must not spill into our output.
        stderr: "pipe",
      });
      (transport.stderr as Readable | null)?.on("data", (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL);
      });
      return transport;
    }
    return new StreamableHTTPClientTransport(new URL(this.config.url), {
      requestInit: this.config.headers ? { headers: this.config.headers } : undefined,
    });
  }

  private async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.transport = undefined;
    this.dropped = false;
    // Client.close closes the transport; for stdio that ends stdin, then SIGTERM, then SIGKILL.
    await client?.close().catch(() => undefined);
  }

  private closedError(): McpSourceError {
    return new McpSourceError("MCP_SOURCE_CLOSED", `MCP source "${this.server}" is closed.`, {
      server: this.server,
    });
  }
}

/** Errors that mean the connection is gone (as opposed to the tool or the request failing). */
export function isConnectionLost(error: unknown): boolean {
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed;
  // A restarted HTTP server no longer knows our session id: 404 per the spec, though some
  // servers (the reference "everything" server among them) answer 400 naming the session.
  if (error instanceof StreamableHTTPError) {
    return (
      error.code === 404 || error.code === undefined || (error.code === 400 && /session/i.test(error.message))
    );
  }
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return true;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EPIPE" || code === "ECONNRESET" || code === "ECONNREFUSED") return true;
    return /not connected|connection closed/i.test(error.message);
  }
  return false;
}

export function isTimeout(error: unknown): boolean {
  return error instanceof McpError && error.code === ErrorCode.RequestTimeout;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describe(config: McpTransportConfig): string {
  return config.kind === "stdio" ? `stdio: ${config.command}` : `http: ${config.url}`;
}
