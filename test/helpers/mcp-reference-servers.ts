/**
 * Real MCP servers for tests: the npm reference servers (run with this Node, no npx, no
 * network) and a tiny Streamable HTTP server with paginated tools built from the SDK.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const require = createRequire(import.meta.url);

/** Absolute path of a package's (first) bin script, e.g. server-filesystem's dist/index.js. */
export function packageBin(pkg: string): string {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : Object.values(manifest.bin)[0];
  return join(dirname(manifestPath), bin);
}

export function filesystemServer(dir: string): { command: string; args: string[] } {
  return { command: process.execPath, args: [packageBin("@modelcontextprotocol/server-filesystem"), dir] };
}

export function everythingServer(): { command: string; args: string[] } {
  return {
    command: process.execPath,
    args: [packageBin("@modelcontextprotocol/server-everything"), "stdio"],
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** server-everything in Streamable HTTP mode (on `port` or a free one); resolves once it listens. */
export async function startEverythingHttp(
  port?: number,
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  port ??= await freePort();
  const child = spawn(
    process.execPath,
    [packageBin("@modelcontextprotocol/server-everything"), "streamableHttp"],
    {
      env: { ...process.env, PORT: String(port) },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`server-everything did not start: ${log}`)), 15_000);
    child.stderr!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (/listening/i.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything exited with ${code}: ${log}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export interface PagedMcpServer {
  url: string;
  port: number;
  /** Every request's headers, for checking configured headers arrive. */
  headers: IncomingMessage["headers"][];
  /** Stops listening and forgets every session (like a crash); `start` again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A stateful Streamable HTTP MCP server whose tool list comes in pages of `pageSize`:
 * `tool_0..tool_{count-1}` each echo their arguments; `fail` always returns isError; `slow`
 * answers after `text` milliseconds.
 */
export async function startPagedMcpServer(options: {
  count: number;
  pageSize: number;
}): Promise<PagedMcpServer> {
  const names = [...Array.from({ length: options.count }, (_, i) => `tool_${i}`), "fail", "slow"];
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const headers: IncomingMessage["headers"][] = [];
  let http: HttpServer | undefined;
  let port = 0;

  function newMcpServer(): Server {
    const server = new Server(
      { name: "paged-test-server", version: "1.2.3" },
      { capabilities: { tools: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, async (request) => {
      const start = Number(request.params?.cursor ?? 0);
      const page = names.slice(start, start + options.pageSize);
      const next = start + options.pageSize;
      return {
        tools: page.map((name) => ({
          name,
          description:
            { fail: "Always fails", slow: "Waits `text` ms" }[name] ?? `Echoes its arguments (${name})`,
          inputSchema: {
            type: "object" as const,
            properties: { text: { type: "string" } },
            required: ["text"],
            additionalProperties: false,
          },
        })),
        nextCursor: next < names.length ? String(next) : undefined,
      };
    });
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      if (request.params.name === "fail") {
        return { isError: true, content: [{ type: "text" as const, text: "this tool always fails" }] };
      }
      if (request.params.name === "slow") {
        await new Promise((resolve) => setTimeout(resolve, Number(request.params.arguments?.text)));
      }
      return {
        content: [
          {
            type: "text" as const,
            text: `${request.params.name}: ${JSON.stringify(request.params.arguments)}`,
          },
        ],
      };
    });
    return server;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    headers.push(req.headers);
    const sessionId = req.headers["mcp-session-id"] as string | undefined;
    let transport = sessionId ? sessions.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId) {
        res.writeHead(404, { "content-type": "application/json" }).end(
          JSON.stringify({
            jsonrpc: "2.0",
            error: { code: -32001, message: "Session not found" },
            id: null,
          }),
        );
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, created);
        },
      });
      await newMcpServer().connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res);
  }

  const self: PagedMcpServer = {
    get url() {
      return `http://127.0.0.1:${port}/mcp`;
    },
    get port() {
      return port;
    },
    headers,
    async start() {
      http = createServer((req, res) => {
        handle(req, res).catch((error) => {
          if (!res.headersSent) res.writeHead(500).end(String(error));
        });
      });
      await new Promise<void>((resolve) => http!.listen(port, "127.0.0.1", resolve));
      port = (http.address() as AddressInfo).port;
    },
    async stop() {
      for (const transport of sessions.values()) await transport.close().catch(() => undefined);
      sessions.clear();
      http?.closeAllConnections();
      await new Promise<void>((resolve) => http?.close(() => resolve()) ?? resolve());
      http = undefined;
    },
  };
  await self.start();
  return self;
}
