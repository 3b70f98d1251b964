import type { LocalAnswer, LocalAnswerOptions } from "../core/agent.js";
import type { Housekeeping } from "./housekeeping.js";

/** The local model, asked once (`Agent.answerLocally`). */
export type AnswerLocally = (prompt: string, options?: LocalAnswerOptions) => Promise<LocalAnswer>;

/** A housekeeping reply, ready for the wire: text, or the tool call the UI forced. */
export interface HousekeepingReply {
  text: string;
  toolCall?: { name: string; arguments: string };
  usage: { inputTokens: number; outputTokens: number };
}

const INSTRUCTIONS: Partial<Record<Housekeeping["kind"], string>> = {
  title: "Write a title of at most five words for this conversation. Reply with the title only.",
  tags: "Give one to three short topic tags for this conversation, separated by commas. Reply with the tags only.",
  "follow-ups":
    "Suggest three short follow-up questions the user might ask next, one per line. Reply with the questions only.",
  summary: "Summarize this conversation in one or two sentences.",
  autocomplete: "Continue this text with a few words. Reply with the continuation only.",
  emoji: "Reply with one emoji that fits the mood of this message.",
  "image-prompt": "Describe, in one sentence, an image that illustrates this conversation.",
};

/** The first user turn of a rendered transcript (`USER: …`, `User: …`, `||>User:\n"…"`). */
function firstUserTurn(subject: string): string {
  const m =
    /(?:^|\n)\s*(?:\|\|>)?(?:USER|User|user|Human)\s*:\s*([^\n]*(?:\n(?!\s*(?:\|\|>)?[A-Za-z]+\s*:)[^\n]*)*)/.exec(
      subject,
    );
  return (m?.[1] ?? subject).replace(/^"|"$/g, "").trim();
}

const clean = (line: string) =>
  line
    .replace(/^\s*(?:[-*•]|\d+[.)])\s*/, "")
    .replace(/^["'`*#\s]+|["'`*\s]+$/g, "")
    .trim();

/** The model's reply, made into what the task needs; deterministic fallbacks when it is unusable. */
function shape(task: Housekeeping, raw: string): unknown {
  const lines = raw
    .split("\n")
    .map(clean)
    .filter((l) => l && !/^(?:here (?:is|are)|sure)\b/i.test(l));
  switch (task.kind) {
    case "title": {
      const title = clean((lines[0] ?? "").replace(/^title\s*:\s*/i, ""))
        .split(/\s+/)
        .slice(0, 8)
        .join(" ")
        .slice(0, 80);
      return title || firstUserTurn(task.subject).split(/\s+/).slice(0, 5).join(" ") || "New Chat";
    }
    case "tags": {
      const tags = lines
        .join(",")
        .split(/[,;]/)
        .map(clean)
        .filter((t) => /[\p{L}\p{N}]/u.test(t) && t.length <= 40)
        .slice(0, 3);
      return tags.length ? tags : ["General"];
    }
    case "follow-ups":
      return lines.filter((l) => l.length <= 200).slice(0, 5);
    case "emoji":
      return /\p{Extended_Pictographic}/u.exec(raw)?.[0] ?? "🙂";
    case "search-queries":
    case "tool-selection":
      return [];
    default:
      return lines.join(" ").slice(0, 1000);
  }
}

/**
 * Answers a housekeeping request with the local model, in the shape the UI reads. Search queries
 * and tool selection are answered with nothing to do (flm plans its own tools); everything else
 * comes from the local model, given only the conversation the UI sent. No cloud call.
 */
export async function answerHousekeeping(
  task: Housekeeping,
  answerLocally: AnswerLocally,
  options: { signal?: AbortSignal; maxOutputTokens?: number } = {},
): Promise<HousekeepingReply> {
  const instruction = INSTRUCTIONS[task.kind];
  let raw = "";
  const usage = { inputTokens: 0, outputTokens: 0 };
  if (instruction) {
    const label = task.kind === "autocomplete" ? "Text" : task.kind === "emoji" ? "Message" : "Conversation";
    const result = await answerLocally(`${instruction}\n\n${label}:\n${task.subject}`, {
      signal: options.signal,
      maxOutputTokens: options.maxOutputTokens ?? 96,
    });
    raw = result.text;
    usage.inputTokens = result.usage.inputTokens;
    usage.outputTokens = result.usage.outputTokens;
  }
  const value = shape(task, raw);
  const reply = task.reply;
  if (reply.as === "json") return { text: JSON.stringify({ [reply.key]: value }), usage };
  if (reply.as === "text")
    return {
      text: Array.isArray(value) ? value.join(task.kind === "tags" ? ", " : "\n") : String(value),
      usage,
    };
  // Structured output (LibreChat's title): fill the properties the UI asked for.
  const fields: Record<string, unknown> = {};
  for (const p of reply.properties)
    fields[p] = p === "language" ? "English" : p === task.kind || p === "title" ? value : "";
  if (reply.properties.length === 0) fields[task.kind] = value;
  const json = JSON.stringify(fields);
  return reply.as === "tool-call"
    ? { text: "", toolCall: { name: reply.name, arguments: json }, usage }
    : { text: json, usage };
}
