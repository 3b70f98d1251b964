import type { ChatTurn } from "../core/chat-turn.js";
import type { TokenUsage } from "../core/trace.js";
import { GatewayError } from "./gateway-errors.js";

/** What the gateway takes from an OpenAI chat-completions request. */
export interface ChatRequest {
  model?: string;
  prompt: string;
  history: ChatTurn[];
  stream: boolean;
  includeUsage: boolean;
}

const invalid = (message: string, param: string | null, hint?: string) =>
  new GatewayError(400, "invalid_request", message, { param: param ?? undefined, hint });

/**
 * The last message must be a user turn: it is the prompt. Earlier user and assistant turns are
 * history (user turns go to the planner pseudonymized; answers stay local). System and
 * developer messages are ignored: flm writes its own planner and answer instructions, and a
 * client's system prompt would otherwise travel to the cloud unexamined.
 */
export function parseChatRequest(body: unknown, maxPromptChars: number): ChatRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid("The request body must be a JSON object.", null);
  }
  const b = body as Record<string, unknown>;
  if (b.model !== undefined && (typeof b.model !== "string" || !b.model))
    throw invalid("`model` must be a non-empty string.", "model");
  if (b.stream !== undefined && b.stream !== null && typeof b.stream !== "boolean")
    throw invalid("`stream` must be a boolean.", "stream");
  if (typeof b.n === "number" && b.n !== 1) throw invalid("Only n = 1 is supported.", "n");
  if (Array.isArray(b.tools) && b.tools.length > 0) {
    throw invalid(
      "Client-side `tools` are not supported.",
      "tools",
      "flm plans with the tools configured on the gateway; send the question only.",
    );
  }
  if (!Array.isArray(b.messages) || b.messages.length === 0)
    throw invalid("`messages` must be a non-empty array.", "messages");

  const turns: ChatTurn[] = [];
  b.messages.forEach((m, i) => {
    if (typeof m !== "object" || m === null)
      throw invalid(`messages[${i}] must be an object.`, `messages[${i}]`);
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (role === "system" || role === "developer") return;
    if (role !== "user" && role !== "assistant") {
      throw invalid(
        `messages[${i}].role "${String(role)}" is not supported.`,
        `messages[${i}].role`,
        "Send user and assistant turns only.",
      );
    }
    const text = contentText(content, i);
    if (text === undefined) return; // an assistant turn with only tool calls: nothing to keep
    turns.push({ role, content: text });
  });
  const last = turns.at(-1);
  if (last?.role !== "user") {
    throw invalid("The last message must be a user turn: it is the question.", "messages");
  }
  if (!last.content.trim()) throw invalid("The last user message is empty.", "messages");
  if (last.content.length > maxPromptChars) {
    throw new GatewayError(
      400,
      "prompt_too_long",
      `The prompt is ${last.content.length} characters; the limit is ${maxPromptChars}.`,
      {
        param: "messages",
        hint: "Shorten the question.",
      },
    );
  }
  const streamOptions = b.stream_options as { include_usage?: unknown } | undefined | null;
  return {
    model: b.model as string | undefined,
    prompt: last.content,
    history: turns.slice(0, -1),
    stream: b.stream === true,
    includeUsage: b.stream === true && streamOptions?.include_usage === true,
  };
}

/** The wire options of a housekeeping request (its messages are the housekeeping module's). */
export function housekeepingRequest(body: unknown): ChatRequest {
  const b = body as Record<string, unknown>;
  const streamOptions = b.stream_options as { include_usage?: unknown } | undefined | null;
  return {
    model: typeof b.model === "string" && b.model ? b.model : undefined,
    prompt: "",
    history: [],
    stream: b.stream === true,
    includeUsage: b.stream === true && streamOptions?.include_usage === true,
  };
}

function contentText(content: unknown, i: number): string | undefined {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return undefined;
  if (Array.isArray(content)) {
    const texts = content.map((part, j) => {
      const p = part as { type?: unknown; text?: unknown };
      if (p?.type !== "text" || typeof p.text !== "string") {
        throw invalid(
          `messages[${i}].content[${j}] is a "${String(p?.type)}" part; only text parts are supported.`,
          `messages[${i}].content`,
        );
      }
      return p.text;
    });
    return texts.join("\n");
  }
  throw invalid(
    `messages[${i}].content must be a string or an array of text parts.`,
    `messages[${i}].content`,
  );
}

export function completionId(runId: string): string {
  return `chatcmpl-${runId.replace(/-/g, "")}`;
}

export function usageOf(local: TokenUsage) {
  return {
    prompt_tokens: local.inputTokens,
    completion_tokens: local.outputTokens,
    total_tokens: local.inputTokens + local.outputTokens,
  };
}

export function chatCompletion(input: {
  id: string;
  created: number;
  model: string;
  text: string;
  local: TokenUsage;
  extension: Record<string, unknown>;
}) {
  return {
    id: input.id,
    object: "chat.completion" as const,
    created: input.created,
    model: input.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant" as const, content: input.text, refusal: null },
        logprobs: null,
        finish_reason: "stop" as const,
      },
    ],
    usage: usageOf(input.local),
    // The spec sets no additionalProperties: false here, so an extension field is allowed.
    flm: input.extension,
  };
}

export function chunk(
  base: { id: string; created: number; model: string; includeUsage: boolean },
  delta: Record<string, unknown> | undefined,
  finishReason: "stop" | null = null,
  usage?: TokenUsage,
): string {
  const body: Record<string, unknown> = {
    id: base.id,
    object: "chat.completion.chunk",
    created: base.created,
    model: base.model,
    choices: delta ? [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] : [],
  };
  if (base.includeUsage) body.usage = usage ? usageOf(usage) : null;
  return `data: ${JSON.stringify(body)}\n\n`;
}

export const DONE = "data: [DONE]\n\n";
