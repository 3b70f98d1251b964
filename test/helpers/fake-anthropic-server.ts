/**
 * A real HTTP server on 127.0.0.1 that speaks the Anthropic Messages API (`POST /v1/messages`,
 * non-streaming, as `@ai-sdk/anthropic` calls it for `generateText`), scripted per test and
 * recording every request byte, so what it records is exactly what would leave the building.
 */
import type { ServerResponse } from "node:http";
import {
  type RecordedHttpRequest,
  type ScriptedServer,
  sendJson,
  startScriptedServer,
} from "./http-test-utils.js";

export type { RecordedHttpRequest as RecordedRequest } from "./http-test-utils.js";

export interface AnthropicReplyOptions {
  /** Wait before answering (simulated network + prefill). */
  delayMs?: number;
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
      if (req.method === "POST" && req.path === "/v1/messages" && req.json?.stream !== true) return false;
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
