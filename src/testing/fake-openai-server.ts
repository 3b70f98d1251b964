/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions wire protocol,
 * scripted per test, recording every request byte it receives. Used through the real AI SDK
 * provider packages, so what it records is exactly what would leave the building.
 */
import type { ServerResponse } from "node:http";
import { type RecordedHttpRequest, sendJson, startScriptedServer } from "./http-test-utils.js";
import { approximateTokenCounter } from "../context/token-counter.js";
import { DecodePacer, decodeMs, tokenPieces } from "./token-pacing.js";

export type RecordedRequest = RecordedHttpRequest;

export interface ToolCallSpec {
  name: string;
  args: unknown;
  id?: string;
}

export type Reply =
  | { kind: "text"; text: string; options?: ReplyOptions }
  | { kind: "tool-calls"; calls: ToolCallSpec[]; options?: ReplyOptions }
  | { kind: "error"; status: number; message: string; options?: ReplyOptions }
  | { kind: "raw"; status: number; body: string; contentType?: string; options?: ReplyOptions }
  | { kind: "hang" }
  | { kind: "stream-then-fail"; text: string; options?: ReplyOptions };

export interface ReplyOptions {
  /** Wait before the first byte (simulated network + prefill). */
  delayMs?: number;
  /** Wait between streamed chunks (simulated decode speed). */
  chunkDelayMs?: number;
  /**
   * Decode speed: streamed text and tool-call arguments go out about one token at a time at
   * this rate after `delayMs` (replaces `chunkDelayMs`); a non-streamed reply waits for all of it.
   */
  tokensPerSec?: number;
  usage?: {
    prompt_tokens: number;
    completion_tokens: number;
    prompt_tokens_details?: { cached_tokens: number };
  };
  /** Called once the response is over (sent, failed or abandoned by the client). */
  onEnd?: () => void;
  /** Extra response headers (e.g. `retry-after` on a 429). */
  headers?: Record<string, string>;
}

export const reply = {
  text: (text: string, options?: ReplyOptions): Reply => ({ kind: "text", text, options }),
  json: (value: unknown, options?: ReplyOptions): Reply => ({
    kind: "text",
    text: JSON.stringify(value),
    options,
  }),
  toolCalls: (calls: ToolCallSpec[], options?: ReplyOptions): Reply => ({
    kind: "tool-calls",
    calls,
    options,
  }),
  error: (status: number, message: string, options?: ReplyOptions): Reply => ({
    kind: "error",
    status,
    message,
    options,
  }),
  raw: (status: number, body: string, contentType = "application/json"): Reply => ({
    kind: "raw",
    status,
    body,
    contentType,
  }),
  hang: (): Reply => ({ kind: "hang" }),
  streamThenFail: (text: string, options?: ReplyOptions): Reply => ({
    kind: "stream-then-fail",
    text,
    options,
  }),
};

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface FakeOpenAIServer {
  /** Base URL including `/v1`, ready for `createOpenAI({ baseURL })`. */
  url: string;
  origin: string;
  requests: RecordedRequest[];
  /** Replies served in order; when empty, the handler (if any) answers. */
  enqueue(...replies: Reply[]): void;
  handle(handler: Handler): void;
  /** Every request body concatenated, for leak searches. */
  allBodies(): string;
  /** Resolves once `count` requests in total have arrived (e.g. a call is in flight). */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeOpenAIServer(): Promise<FakeOpenAIServer> {
  const server = await startScriptedServer<Reply>({
    route: (res, request) => {
      if (request.method !== "GET" || !request.path.endsWith("/models")) return false;
      sendJson(res, 200, { object: "list", data: [{ id: "fake-model", object: "model", owned_by: "test" }] });
      return true;
    },
    noReply: (res) => sendJson(res, 500, { error: { message: "fake server: no scripted reply left" } }),
    serve: (res, next, request) =>
      serve(res, next, request.json?.stream === true, request.json?.model ?? "fake-model"),
  });
  return { ...server, url: `${server.origin}/v1` };
}

const sleep = (ms?: number) => (ms ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

let callCounter = 0;

async function serve(res: ServerResponse, r: Reply, stream: boolean, model: string): Promise<void> {
  if (r.kind === "hang") return; // never answers; the client must time out or abort
  const onEnd = r.options?.onEnd;
  if (onEnd) {
    if (res.destroyed) onEnd();
    else res.once("close", onEnd);
  }
  await sleep(r.options?.delayMs);
  if (res.destroyed) return;
  if (r.options?.headers) for (const [k, v] of Object.entries(r.options.headers)) res.setHeader(k, v);
  if (r.kind === "error")
    return sendJson(res, r.status, { error: { message: r.message, type: "server_error" } });
  if (r.kind === "raw") {
    res.writeHead(r.status, { "content-type": r.contentType ?? "application/json" });
    return void res.end(r.body);
  }
  const usage = r.options?.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
  const id = `chatcmpl-${++callCounter}`;
  const toolCalls =
    r.kind === "tool-calls"
      ? r.calls.map((c, i) => ({
          id: c.id ?? `call_${callCounter}_${i}`,
          type: "function" as const,
          function: { name: c.name, arguments: typeof c.args === "string" ? c.args : JSON.stringify(c.args) },
        }))
      : undefined;
  const completion: Completion = {
    id,
    created: Math.floor(Date.now() / 1000),
    model,
    text: r.kind === "text" || r.kind === "stream-then-fail" ? r.text : null,
    toolCalls,
    finish: toolCalls ? "tool_calls" : "stop",
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
  if (stream) return sendChunks(res, r, completion);
  if (r.kind === "stream-then-fail") return void res.destroy();
  return sendWhole(res, r, completion);
}

/** One scripted completion, ready to go out whole or as chunks. */
interface Completion {
  id: string;
  created: number;
  model: string;
  text: string | null;
  toolCalls:
    | Array<{ id: string; type: "function"; function: { name: string; arguments: string } }>
    | undefined;
  finish: "tool_calls" | "stop";
  usage: Record<string, unknown>;
}

type ChunkOf = (delta: Record<string, unknown>, finishReason: string | null, withUsage?: boolean) => string;

/** A `chat.completion` (after the decode time `tokensPerSec` implies, if set). */
async function sendWhole(res: ServerResponse, r: Reply, c: Completion): Promise<void> {
  const tps = r.kind === "hang" ? undefined : r.options?.tokensPerSec;
  if (tps) {
    const out = [
      c.text ?? "",
      ...(c.toolCalls ?? []).flatMap((t) => [t.function.name, t.function.arguments]),
    ];
    await sleep(decodeMs(approximateTokenCounter.count(out.join(" ")), tps));
  }
  sendJson(res, 200, {
    id: c.id,
    object: "chat.completion",
    created: c.created,
    model: c.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: c.text, tool_calls: c.toolCalls },
        finish_reason: c.finish,
        logprobs: null,
      },
    ],
    usage: c.usage,
  });
}

/** Server-sent `chat.completion.chunk`s: paced by `tokensPerSec`, else word by word. */
async function sendChunks(res: ServerResponse, r: Reply, c: Completion): Promise<void> {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  const chunk: ChunkOf = (delta, finishReason, withUsage = false) =>
    `data: ${JSON.stringify({
      id: c.id,
      object: "chat.completion.chunk",
      created: c.created,
      model: c.model,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
      ...(withUsage ? { usage: c.usage } : {}),
    })}\n\n`;
  res.write(chunk({ role: "assistant", content: "" }, null));
  const tps = r.kind === "hang" ? undefined : r.options?.tokensPerSec;
  const finished = tps ? await writePaced(res, c, chunk, tps) : await writeWords(res, r, c, chunk);
  if (!finished) return;
  res.write(chunk({}, c.finish, true));
  res.end("data: [DONE]\n\n");
}

/** Text and tool-call arguments about one token at a time at `tps`; false once the client left. */
async function writePaced(res: ServerResponse, c: Completion, chunk: ChunkOf, tps: number): Promise<boolean> {
  const pacer = new DecodePacer(tps);
  for (const piece of c.text === null ? [] : tokenPieces(c.text)) {
    await pacer.decode(piece.tokens);
    if (res.destroyed) return false;
    res.write(chunk({ content: piece.text }, null));
  }
  for (const [index, call] of (c.toolCalls ?? []).entries()) {
    await pacer.decode(Math.max(1, approximateTokenCounter.count(call.function.name)));
    if (res.destroyed) return false;
    res.write(
      chunk({ tool_calls: [{ index, ...call, function: { ...call.function, arguments: "" } }] }, null),
    );
    for (const piece of tokenPieces(call.function.arguments)) {
      await pacer.decode(piece.tokens);
      if (res.destroyed) return false;
      res.write(chunk({ tool_calls: [{ index, function: { arguments: piece.text } }] }, null));
    }
  }
  return true;
}

/**
 * Text word by word (`chunkDelayMs` apart), then each tool call whole; false once the client left
 * or, for `stream-then-fail`, once half the words are out and the connection is dropped.
 */
async function writeWords(res: ServerResponse, r: Reply, c: Completion, chunk: ChunkOf): Promise<boolean> {
  if (c.text !== null) {
    const pieces = c.text.match(/\s*\S+/g) ?? [c.text];
    for (let i = 0; i < pieces.length; i++) {
      await sleep(r.kind === "hang" ? undefined : r.options?.chunkDelayMs);
      if (res.destroyed) return false;
      res.write(chunk({ content: pieces[i] }, null));
      if (r.kind === "stream-then-fail" && i >= Math.floor(pieces.length / 2)) {
        await sleep(20); // let the written chunks reach the client before the connection drops
        res.destroy();
        return false;
      }
    }
  }
  for (const [index, call] of (c.toolCalls ?? []).entries()) {
    res.write(chunk({ tool_calls: [{ index, ...call }] }, null));
  }
  return true;
}
