/**
 * A real HTTP server on 127.0.0.1 that speaks the Gemini API
 * (`POST /v1beta/models/{model}:generateContent`, and `:streamGenerateContent?alt=sse` as
 * `@ai-sdk/google` calls it for `streamText`: text in chunks, each functionCall part whole, as
 * Gemini streams them), scripted per test and recording every request byte.
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

export interface GoogleReplyOptions {
  delayMs?: number;
  /** Decode speed: a streamed reply's text goes out in pieces, each call once decoded, at this rate. */
  tokensPerSec?: number;
  usage?: { promptTokenCount: number; candidatesTokenCount: number; cachedContentTokenCount?: number };
}

export interface GoogleFunctionCall {
  name: string;
  args: Record<string, unknown>;
}

export type GoogleReply =
  | { kind: "text"; text: string; options?: GoogleReplyOptions }
  /** One `functionCall` part per call: several in one candidate are parallel calls. */
  | { kind: "function-calls"; calls: GoogleFunctionCall[]; options?: GoogleReplyOptions }
  | { kind: "error"; status: number; message: string; code?: string }
  | { kind: "hang" };

export const googleReply = {
  text: (text: string, options?: GoogleReplyOptions): GoogleReply => ({ kind: "text", text, options }),
  json: (value: unknown, options?: GoogleReplyOptions): GoogleReply => ({
    kind: "text",
    text: JSON.stringify(value),
    options,
  }),
  functionCalls: (calls: GoogleFunctionCall[], options?: GoogleReplyOptions): GoogleReply => ({
    kind: "function-calls",
    calls,
    options,
  }),
  error: (status: number, message: string, code = "INTERNAL"): GoogleReply => ({
    kind: "error",
    status,
    message,
    code,
  }),
  hang: (): GoogleReply => ({ kind: "hang" }),
};

export interface FakeGoogleServer extends ScriptedServer<GoogleReply> {
  /** Base URL including `/v1beta`, ready for `createGoogleGenerativeAI({ baseURL })`. */
  url: string;
}

/** `/v1beta/models/gemini-x:generateContent` (or `:streamGenerateContent?alt=sse`) → `gemini-x`. */
export function googleModelOf(path: string): string | undefined {
  return /^\/v1beta\/models\/([^/:?]+):(?:generateContent|streamGenerateContent\?alt=sse)$/.exec(path)?.[1];
}

export async function startFakeGoogleServer(): Promise<FakeGoogleServer> {
  const server = await startScriptedServer<GoogleReply>({
    route: (res, req) => {
      if (req.method === "POST" && googleModelOf(req.path)) return false;
      // Anything else is a protocol mismatch the test should see, not a silent success.
      sendJson(res, 404, {
        error: {
          code: 404,
          message: `fake Google server: no route ${req.method} ${req.path}`,
          status: "NOT_FOUND",
        },
      });
      return true;
    },
    noReply: (res) =>
      sendJson(res, 500, {
        error: { code: 500, message: "fake Google server: no scripted reply left", status: "INTERNAL" },
      }),
    serve,
  });
  return { ...server, url: `${server.origin}/v1beta` };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function serve(res: ServerResponse, r: GoogleReply, req: RecordedHttpRequest): Promise<void> {
  if (r.kind === "hang") return;
  if (r.kind === "error") {
    return sendJson(res, r.status, { error: { code: r.status, message: r.message, status: r.code } });
  }
  if (r.options?.delayMs) await sleep(r.options.delayMs);
  if (res.destroyed) return;
  const usage = r.options?.usage ?? { promptTokenCount: 10, candidatesTokenCount: 5 };
  const usageMetadata = { ...usage, totalTokenCount: usage.promptTokenCount + usage.candidatesTokenCount };
  const parts =
    r.kind === "text"
      ? [{ text: r.text }]
      : r.calls.map((c) => ({ functionCall: { name: c.name, args: c.args } }));
  const tps = r.options?.tokensPerSec;
  const chunk = (chunkParts: unknown[], done: boolean) => ({
    candidates: [
      { content: { role: "model", parts: chunkParts }, ...(done ? { finishReason: "STOP" } : {}), index: 0 },
    ],
    ...(done ? { usageMetadata } : {}),
    modelVersion: "fake-gemini",
    responseId: `resp_${Date.now()}`,
  });
  if (!req.path.includes(":streamGenerateContent")) {
    const out = r.kind === "text" ? r.text : JSON.stringify(r.calls);
    if (tps) await sleep(decodeMs(approximateTokenCounter.count(out), tps));
    return sendJson(res, 200, chunk(parts, true));
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (value: unknown) => res.write(`data: ${JSON.stringify(value)}\r\n\r\n`);
  const pacer = tps ? new DecodePacer(tps) : undefined;
  if (r.kind === "text") {
    // Gemini streams text a few tokens per chunk.
    const pieces = pacer ? tokenPieces(r.text) : [{ text: r.text, tokens: 0 }];
    for (let i = 0; i < pieces.length; i += 4) {
      const group = pieces.slice(i, i + 4);
      await pacer?.decode(group.reduce((n, p) => n + p.tokens, 0));
      if (res.destroyed) return;
      send(chunk([{ text: group.map((p) => p.text).join("") }], false));
    }
  } else {
    for (const part of parts) {
      await pacer?.decode(Math.max(1, approximateTokenCounter.count(JSON.stringify(part))));
      if (res.destroyed) return;
      send(chunk([part], false));
    }
  }
  send(chunk([], true));
  res.end();
}
