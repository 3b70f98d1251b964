/**
 * A real HTTP server on 127.0.0.1 that speaks the Anthropic Messages API (`POST /v1/messages`,
 * a JSON reply or, with `"stream": true`, server-sent events: message_start, content blocks
 * with text_delta / input_json_delta, message_delta, message_stop), scripted per test and
 * recording every request byte, so what it records is exactly what would leave the building.
 */
import type { ServerResponse } from "node:http";
import { approximateTokenCounter } from "../context/token-counter.js";
import {
  type RecordedHttpRequest,
  type ScriptedServer,
  sendJson,
  startScriptedServer,
} from "./http-test-utils.js";
import { DecodePacer, decodeMs, tokenPieces } from "./token-pacing.js";

export type { RecordedHttpRequest as RecordedRequest } from "./http-test-utils.js";

export interface AnthropicReplyOptions {
  /** Wait before answering (simulated network + prefill). */
  delayMs?: number;
  /** Decode speed: a streamed reply's text and tool input go out token by token at this rate. */
  tokensPerSec?: number;
  usage?: {
    input_tokens: number;
    output_tokens: number;
    cache_read_input_tokens?: number;
    cache_creation_input_tokens?: number;
  };
}

export interface AnthropicToolUse {
  name: string;
  input: Record<string, unknown>;
  id?: string;
}

export type AnthropicReply =
  | { kind: "text"; text: string; options?: AnthropicReplyOptions }
  /** One `tool_use` block per call: several in one message are parallel calls. */
  | { kind: "tool-use"; calls: AnthropicToolUse[]; text?: string; options?: AnthropicReplyOptions }
  | { kind: "error"; status: number; type: string; message: string }
  | { kind: "hang" };

export const anthropicReply = {
  text: (text: string, options?: AnthropicReplyOptions): AnthropicReply => ({ kind: "text", text, options }),
  json: (value: unknown, options?: AnthropicReplyOptions): AnthropicReply => ({
    kind: "text",
    text: JSON.stringify(value),
    options,
  }),
  toolUse: (
    calls: AnthropicToolUse[],
    options?: AnthropicReplyOptions & { text?: string },
  ): AnthropicReply => ({
    kind: "tool-use",
    calls,
    text: options?.text,
    options,
  }),
  error: (status: number, message: string, type = "api_error"): AnthropicReply => ({
    kind: "error",
    status,
    type,
    message,
  }),
  hang: (): AnthropicReply => ({ kind: "hang" }),
};

export interface FakeAnthropicServer extends ScriptedServer<AnthropicReply> {
  /** Base URL including `/v1`, ready for `createAnthropic({ baseURL })`. */
  url: string;
}

export async function startFakeAnthropicServer(): Promise<FakeAnthropicServer> {
  const server = await startScriptedServer<AnthropicReply>({
    route: (res, req) => {
      if (req.method === "POST" && req.path === "/v1/messages") return false;
      // Anything else is a protocol mismatch the test should see, not a silent success.
      sendJson(res, 404, {
        type: "error",
        error: {
          type: "not_found_error",
          message: `fake Anthropic server: no route ${req.method} ${req.path}`,
        },
      });
      return true;
    },
    noReply: (res) =>
      sendJson(res, 500, {
        type: "error",
        error: { type: "api_error", message: "fake Anthropic server: no scripted reply left" },
      }),
    serve,
  });
  return { ...server, url: `${server.origin}/v1` };
}

let messageCounter = 0;

async function serve(res: ServerResponse, r: AnthropicReply, req: RecordedHttpRequest): Promise<void> {
  if (r.kind === "hang") return; // never answers; the client must abort
  if (r.kind === "error") {
    return sendJson(res, r.status, { type: "error", error: { type: r.type, message: r.message } });
  }
  if (r.options?.delayMs) await new Promise((resolve) => setTimeout(resolve, r.options?.delayMs));
  if (res.destroyed) return;
  if (req.json?.stream === true) return stream(res, r, req);
  const tps = r.options?.tokensPerSec;
  if (tps) {
    const out = r.kind === "text" ? r.text : JSON.stringify(r.calls.map((c) => c.input));
    await new Promise((resolve) => setTimeout(resolve, decodeMs(approximateTokenCounter.count(out), tps)));
  }
  const n = ++messageCounter;
  const content =
    r.kind === "text"
      ? [{ type: "text", text: r.text }]
      : [
          ...(r.text ? [{ type: "text", text: r.text }] : []),
          ...r.calls.map((c, i) => ({
            type: "tool_use",
            id: c.id ?? `toolu_${n}_${i}`,
            name: c.name,
            input: c.input,
          })),
        ];
  sendJson(res, 200, {
    id: `msg_${n}`,
    type: "message",
    role: "assistant",
    model: req.json?.model ?? "fake-claude",
    content,
    stop_reason: r.kind === "tool-use" ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: r.options?.usage ?? { input_tokens: 10, output_tokens: 5 },
  });
}

/** The reply as Anthropic streams it: one content block per text or tool_use, deltas paced. */
async function stream(
  res: ServerResponse,
  r: Extract<AnthropicReply, { kind: "text" | "tool-use" }>,
  req: RecordedHttpRequest,
): Promise<void> {
  const n = ++messageCounter;
  const usage = r.options?.usage ?? { input_tokens: 10, output_tokens: 5 };
  const pacer = r.options?.tokensPerSec ? new DecodePacer(r.options.tokensPerSec) : undefined;
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  let index = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  /** Sends text in about-one-token pieces (paced when a rate is set); false once the client left. */
  const deltas = async (text: string, delta: (piece: string) => Record<string, unknown>) => {
    for (const piece of pacer ? tokenPieces(text) : [{ text, tokens: 0 }]) {
      await pacer?.decode(piece.tokens);
      if (res.destroyed) return false;
      if (piece.text) event("content_block_delta", { index, delta: delta(piece.text) });
    }
    return true;
  };
  event("message_start", {
    message: {
      id: `msg_${n}`,
      type: "message",
      role: "assistant",
      model: req.json?.model ?? "fake-claude",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    },
  });
  const text = r.text;
  if (text) {
    event("content_block_start", { index, content_block: { type: "text", text: "" } });
    if (!(await deltas(text, (t) => ({ type: "text_delta", text: t })))) return;
    event("content_block_stop", { index });
    index++;
  }
  for (const [i, call] of (r.kind === "tool-use" ? r.calls : []).entries()) {
    event("content_block_start", {
      index,
      content_block: { type: "tool_use", id: call.id ?? `toolu_${n}_${i}`, name: call.name, input: {} },
    });
    await pacer?.decode(Math.max(1, approximateTokenCounter.count(call.name)));
    if (!(await deltas(JSON.stringify(call.input), (t) => ({ type: "input_json_delta", partial_json: t }))))
      return;
    event("content_block_stop", { index });
    index++;
  }
  event("message_delta", {
    delta: { stop_reason: r.kind === "tool-use" ? "tool_use" : "end_turn", stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  event("message_stop", {});
  res.end();
}
