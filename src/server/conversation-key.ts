import { createHash } from "node:crypto";
import type { ChatRequest } from "./openai-wire.js";

/** Header a client may send to name its conversation explicitly (any string up to 200 characters). */
export const CONVERSATION_HEADER = "x-flm-conversation-id";

/**
 * The key a chat request's conversation is stored under (its placeholders, shared by every
 * replica): the caller's id with the client's conversation id when it sends one, else with the
 * conversation's first user turn (OpenAI clients resend the whole conversation each turn, so every
 * turn of it carries the same first turn). Hashed: the store never sees the text, and one user
 * can never reach another user's conversation.
 */
export function conversationKey(callerId: string, request: ChatRequest, explicitId?: string): string {
  const first = request.history.find((t) => t.role === "user")?.content ?? request.prompt;
  const id = explicitId?.trim() ? `id\u0000${explicitId.trim().slice(0, 200)}` : `first\u0000${first}`;
  return createHash("sha256").update(`${callerId}\u0000${id}`).digest("base64url");
}
