/**
 * A real HTTP server on 127.0.0.1 that speaks the Gemini API
 * (`POST /v1beta/models/{model}:generateContent`, as `@ai-sdk/google` calls it for `generateText`),
 * scripted per test and recording every request byte.
 */
import type { ServerResponse } from "node:http";
import { type ScriptedServer, sendJson, startScriptedServer } from "./http-test-utils.js";

export type { RecordedHttpRequest as RecordedRequest } from "./http-test-utils.js";

export interface GoogleReplyOptions {
  delayMs?: number;
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

/** `/v1beta/models/gemini-x:generateContent` → `gemini-x`. */
export function googleModelOf(path: string): string | undefined {
  return /^\/v1beta\/models\/([^/:?]+):generateContent$/.exec(path)?.[1];
}

export async function startFakeGoogleServer(): Promise<FakeGoogleServer> {
  const server = await startScriptedServer<GoogleReply>({
    route: (res, req) => {
      if (req.method === "POST" && googleModelOf(req.path)) return false;
      // Streaming (`:streamGenerateContent`) and anything else is not scripted: make it visible.
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

async function serve(res: ServerResponse, r: GoogleReply): Promise<void> {
  if (r.kind === "hang") return;
  if (r.kind === "error") {
    return sendJson(res, r.status, { error: { code: r.status, message: r.message, status: r.code } });
  }
  if (r.options?.delayMs) await new Promise((resolve) => setTimeout(resolve, r.options?.delayMs));
  const usage = r.options?.usage ?? { promptTokenCount: 10, candidatesTokenCount: 5 };
  const parts =
    r.kind === "text"
      ? [{ text: r.text }]
      : r.calls.map((c) => ({ functionCall: { name: c.name, args: c.args } }));
  sendJson(res, 200, {
    candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
    usageMetadata: { ...usage, totalTokenCount: usage.promptTokenCount + usage.candidatesTokenCount },
    modelVersion: "fake-gemini",
    responseId: `resp_${Date.now()}`,
  });
}
