/**
 * A real HTTP server on 127.0.0.1 speaking Ollama's native API (/api/chat streamed as NDJSON or
 * not, /api/embed, /api/tags), scripted per test and recording every request body.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseJsonBody, readBody, sendJson } from "./http-test-utils.js";

export interface OllamaRecordedRequest {
  method: string;
  path: string;
  body: string;
  json: any;
}

export type OllamaReply =
  | { kind: "text"; chunks: string[]; doneReason?: string; thinking?: string; chunkDelayMs?: number }
  | { kind: "tool-calls"; calls: Array<{ name: string; arguments: Record<string, unknown> }> }
  | { kind: "error"; status: number; message: string }
  | { kind: "hang" };

export const ollamaReply = {
  text: (
    text: string | string[],
    options: { doneReason?: string; thinking?: string; chunkDelayMs?: number } = {},
  ): OllamaReply => ({
    kind: "text",
    chunks: Array.isArray(text) ? text : [text],
    ...options,
  }),
  toolCalls: (calls: Array<{ name: string; arguments: Record<string, unknown> }>): OllamaReply => ({
    kind: "tool-calls",
    calls,
  }),
  error: (status: number, message: string): OllamaReply => ({ kind: "error", status, message }),
  hang: (): OllamaReply => ({ kind: "hang" }),
};

export interface FakeOllamaServer {
  /** Origin, e.g. http://127.0.0.1:PORT (what Ollama clients call baseURL). */
  url: string;
  requests: OllamaRecordedRequest[];
  enqueue(...replies: OllamaReply[]): void;
  /** Embedding function used by /api/embed; default: a deterministic 4-dim hash vector. */
  embedWith(fn: (text: string) => number[]): void;
  close(): Promise<void>;
}

function hashVector(text: string): number[] {
  const v = [0, 0, 0, 0];
  for (let i = 0; i < text.length; i++) v[i % 4] += text.charCodeAt(i) / 1000;
  return v;
}

export async function startFakeOllamaServer(): Promise<FakeOllamaServer> {
  const queue: OllamaReply[] = [];
  const requests: OllamaRecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  let embed = hashVector;

  const server: Server = createServer(async (req, res) => {
    open.add(res);
    res.on("close", () => open.delete(res));
    const body = await readBody(req);
    const json = parseJsonBody(body);
    const path = (req.url ?? "/").split("?")[0];
    requests.push({ method: req.method ?? "GET", path, body, json });

    if (path === "/api/embed") {
      const input: string[] = typeof json?.input === "string" ? [json.input] : (json?.input ?? []);
      return sendJson(res, 200, { model: json?.model, embeddings: input.map((t) => embed(t)) });
    }
    if (path === "/api/tags") return sendJson(res, 200, { models: [] });
    if (path !== "/api/chat") return sendJson(res, 404, { error: `unknown path ${path}` });

    const next = queue.shift() ?? ollamaReply.text("ok");
    if (next.kind === "hang") return;
    if (next.kind === "error") return sendJson(res, next.status, { error: next.message });
    const stream = json?.stream !== false;
    const model = json?.model ?? "fake";
    const base = () => ({ model, created_at: new Date().toISOString() });
    const final = (doneReason: string, evalCount: number) => ({
      ...base(),
      message: { role: "assistant", content: "" },
      done: true,
      done_reason: doneReason,
      prompt_eval_count: Math.ceil(body.length / 4),
      eval_count: evalCount,
    });

    if (next.kind === "tool-calls") {
      const message = {
        role: "assistant",
        content: "",
        tool_calls: next.calls.map((c) => ({ function: c })),
      };
      if (!stream) return sendJson(res, 200, { ...final("stop", 5), message });
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write(`${JSON.stringify({ ...base(), message, done: false })}\n`);
      res.end(`${JSON.stringify(final("stop", 5))}\n`);
      return;
    }
    const doneReason = next.doneReason ?? "stop";
    if (!stream) {
      const message = {
        role: "assistant",
        content: next.chunks.join(""),
        ...(next.thinking ? { thinking: next.thinking } : {}),
      };
      return sendJson(res, 200, { ...final(doneReason, next.chunks.length), message });
    }
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    if (next.thinking)
      res.write(
        `${JSON.stringify({ ...base(), message: { role: "assistant", content: "", thinking: next.thinking }, done: false })}\n`,
      );
    for (const chunk of next.chunks) {
      if (res.destroyed) return;
      res.write(
        `${JSON.stringify({ ...base(), message: { role: "assistant", content: chunk }, done: false })}\n`,
      );
      if (next.chunkDelayMs) await new Promise((r) => setTimeout(r, next.chunkDelayMs));
    }
    if (!res.destroyed) res.end(`${JSON.stringify(final(doneReason, next.chunks.length))}\n`);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    embedWith: (fn) => {
      embed = fn;
    },
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
