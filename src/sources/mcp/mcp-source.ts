import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Tool as McpTool } from "@modelcontextprotocol/sdk/types.js";
import { FlmError } from "../../errors/flm-error.js";
import { defineTool } from "../../tools/define-tool.js";
import type { JSONSchema7 } from "../../tools/json-schema.js";
import type { Tool } from "../../tools/tool.js";
import type { ToolSource } from "../../tools/tool-source.js";
import { sanitizeToolName, uniqueToolNames } from "../function/tool-name.js";
import {
  isConnectionLost,
  isTimeout,
  McpConnection,
  type McpTransportConfig,
  messageOf,
} from "./mcp-connection.js";
import { McpSourceError } from "./mcp-errors.js";
import { compactToolResult, type McpToolOutput, resultText } from "./mcp-result.js";

export interface McpSourceOptions {
  /** Source name, used in traces (`mcp:NAME`) and as the default prefix. */
  name: string;
  transport: McpTransportConfig;
  /** Only these server tool names (exact, or with `*` wildcards). */
  include?: string[];
  /** Never these server tool names (exact, or with `*` wildcards); applied after `include`. */
  exclude?: string[];
  /**
   * Prefix tool names to avoid collisions across servers: a string (`files` → `files_read_file`),
   * or `true` for the source name.
   */
  prefix?: string | boolean;
  /** Per-call timeout (default 30 s); also bounds connecting and listing. */
  timeoutMs?: number;
}

export interface McpToolSource extends ToolSource {
  /** The stdio child's pid while connected; undefined for HTTP or before connecting. */
  readonly pid: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const ERROR_TEXT_MAX = 1_000;

/**
 * An MCP server as a tool source: connects lazily over stdio or Streamable HTTP, hands the
 * server's JSON Schemas to the planner, turns `isError` results into step failures, and
 * reconnects once when the connection drops.
 */
export function createMcpSource(options: McpSourceOptions): McpToolSource {
  validateOptions(options);
  const server = options.name;
  /** For connecting and listing, and for calls run without a step timeout (outside an agent). */
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const connection = new McpConnection(server, options.transport, timeoutMs);
  const prefix = options.prefix === true ? server : options.prefix || undefined;
  const include = options.include?.map(globToRegExp);
  const exclude = options.exclude?.map(globToRegExp);
  let listing: Promise<Tool[]> | undefined;
  let closed = false;

  /** Runs `fn` on the live client; on a lost connection reconnects once and runs it again. */
  async function withClient<T>(
    fn: (client: Client) => Promise<T>,
    tool?: string,
    signal?: AbortSignal,
    callTimeoutMs = timeoutMs,
  ): Promise<T> {
    // A connection that dropped since the last call is re-opened now; that is the one reconnect.
    let reconnected = connection.isDropped;
    let client = await connection.get();
    for (;;) {
      try {
        return await fn(client);
      } catch (error) {
        if (signal?.aborted) throw signal.reason ?? error;
        if (FlmError.isInstance(error)) throw error;
        if (isTimeout(error)) {
          throw new McpSourceError(
            "MCP_TIMEOUT",
            `MCP ${tool ? `tool "${tool}"` : "request"} on server "${server}" did not answer within ${callTimeoutMs} ms.`,
            { server, tool },
            { cause: error, hint: "Raise timeoutMs for this source if the tool is legitimately slow." },
          );
        }
        const lost = isConnectionLost(error) || connection.isDropped;
        if (!lost || reconnected) {
          throw new McpSourceError(
            "MCP_CALL_FAILED",
            lost
              ? `MCP server "${server}" dropped the connection again after reconnecting: ${messageOf(error)}.`
              : `MCP ${tool ? `tool "${tool}"` : "request"} on server "${server}" failed: ${messageOf(error)}.`,
            { server, tool },
            { cause: error, hint: lost ? "Check the server is healthy (flm tools check)." : undefined },
          );
        }
        reconnected = true;
        client = await connection.reconnect();
      }
    }
  }

  async function listAll(): Promise<McpTool[]> {
    return withClient(async (client) => {
      const all: McpTool[] = [];
      const seenCursors = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
        all.push(...page.tools);
        cursor = page.nextCursor;
        // A server that hands back a cursor it already gave would loop forever.
        if (cursor && seenCursors.has(cursor)) break;
        if (cursor) seenCursors.add(cursor);
      } while (cursor);
      return all;
    });
  }

  async function buildTools(): Promise<Tool[]> {
    const listed = (await listAll()).filter(
      (tool) =>
        (!include || include.some((re) => re.test(tool.name))) && !exclude?.some((re) => re.test(tool.name)),
    );
    const names = uniqueToolNames(listed.map((tool) => sanitizeToolName(tool.name, prefix)));
    return listed.map((tool, i) => toTool(tool, names[i]));
  }

  function toTool(mcpTool: McpTool, name: string): Tool {
    const original = mcpTool.name;
    const description =
      mcpTool.description?.trim() || mcpTool.title?.trim() || `Tool "${original}" of MCP server "${server}".`;
    const inputSchema = plannerSchema(mcpTool.inputSchema);
    const run = async (
      input: Record<string, unknown>,
      context: { signal: AbortSignal; timeoutMs?: number },
    ): Promise<McpToolOutput> => {
      const callTimeoutMs = context.timeoutMs ?? timeoutMs;
      context.signal.throwIfAborted();
      // The SDK leaves its abort listener on the signal it is given; a per-call child signal
      // keeps a run-wide signal shared by many calls from collecting listeners.
      const local = new AbortController();
      const forward = () => local.abort(context.signal.reason);
      context.signal.addEventListener("abort", forward, { once: true });
      const result = (await withClient(
        (client) =>
          client.callTool({ name: original, arguments: input ?? {} }, undefined, {
            signal: local.signal,
            timeout: callTimeoutMs,
          }),
        original,
        local.signal,
        callTimeoutMs,
      ).finally(() => context.signal.removeEventListener("abort", forward))) as {
        content?: unknown;
        structuredContent?: unknown;
        isError?: boolean;
      };
      if (result.isError) {
        const text = resultText(result).trim() || "no details given";
        throw new McpSourceError(
          "MCP_TOOL_ERROR",
          `MCP tool "${original}" on server "${server}" reported an error: ${truncate(text, ERROR_TEXT_MAX)}`,
          { server, tool: original },
        );
      }
      return compactToolResult(result);
    };
    // MCP tools may act on the world; only those that declare `readOnlyHint` start before the plan is validated.
    const sideEffects = mcpTool.annotations?.readOnlyHint !== true;
    // Only a configured timeout shortens the agent's step timeout; the default does not.
    const common = {
      name,
      description,
      run,
      timeoutMs: options.timeoutMs,
      source: `mcp:${server}`,
      sideEffects,
    };
    try {
      return defineTool<Record<string, unknown>, McpToolOutput>({ ...common, input: inputSchema });
    } catch {
      // A schema our validator cannot compile still goes to the planner; the server validates.
      const tool = defineTool<Record<string, unknown>, McpToolOutput>({
        ...common,
        input: { type: "object" },
      });
      return { ...tool, inputSchema };
    }
  }

  return {
    name: server,
    get pid() {
      return connection.pid;
    },
    tools() {
      if (closed) {
        return Promise.reject(
          new McpSourceError("MCP_SOURCE_CLOSED", `MCP source "${server}" is closed.`, { server }),
        );
      }
      listing ??= buildTools().catch((error) => {
        listing = undefined;
        throw error;
      });
      return listing;
    },
    async check() {
      try {
        const tools = await this.tools();
        const info = connection.serverVersion;
        const who = info ? `${info.name} ${info.version}` : "unknown server";
        return { ok: true, detail: `${who}, ${tools.length} tool(s)` };
      } catch (error) {
        return { ok: false, detail: messageOf(error) };
      }
    },
    async close() {
      closed = true;
      listing = undefined;
      await connection.close();
    },
  };
}

/** The server's schema minus `$schema` (which may name a draft our validator does not load). */
function plannerSchema(schema: McpTool["inputSchema"]): JSONSchema7 {
  const { $schema: _ignored, ...rest } = (schema ?? {}) as Record<string, unknown>;
  return { ...rest, type: "object" } as JSONSchema7;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function validateOptions(options: McpSourceOptions): void {
  const fail = (message: string, hint: string) => {
    throw new McpSourceError("MCP_CONFIG_INVALID", message, { server: options?.name ?? "?" }, { hint });
  };
  if (!options?.name?.trim()) fail("An MCP source needs a name.", 'Add name: "files" (used in traces).');
  const transport = options.transport;
  if (transport?.kind === "stdio") {
    if (!transport.command?.trim()) {
      fail(`MCP source "${options.name}" has no command.`, "Set transport.command to the server executable.");
    }
  } else if (transport?.kind === "http") {
    try {
      const url = new URL(transport.url);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    } catch {
      fail(
        `MCP source "${options.name}" has an invalid URL "${transport.url}".`,
        "Use the server's Streamable HTTP endpoint, e.g. http://127.0.0.1:3001/mcp.",
      );
    }
  } else {
    fail(`MCP source "${options.name}" has no valid transport.`, 'Use transport.kind "stdio" or "http".');
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    fail(
      `MCP source "${options.name}" has timeoutMs ${options.timeoutMs}.`,
      "Use a positive number of milliseconds.",
    );
  }
}
