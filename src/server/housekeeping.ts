/**
 * Chat UIs send housekeeping requests after (and while) a chat: a title, tags, follow-up
 * questions, autocompletion, search queries, an emoji. They carry the conversation, flm's earlier
 * answers included, inside one user message (Open WebUI: `### Task: … <chat_history>USER: …
 * ASSISTANT: …</chat_history>`; LibreChat: `Analyze this conversation … User: … AI: …`). They need
 * no tool and no plan, so they are recognised here and answered by the local model: nothing of
 * them goes to the cloud (issue 11, item 1).
 *
 * Recognised by their structure (a task instruction plus a transcript), not by exact wording, so
 * edited templates and other UIs that follow the same pattern are caught too.
 */

export type HousekeepingKind =
  | "title"
  | "tags"
  | "follow-ups"
  | "autocomplete"
  | "search-queries"
  | "emoji"
  | "image-prompt"
  | "tool-selection"
  | "summary";

export interface Housekeeping {
  kind: HousekeepingKind;
  /** The conversation (or, for autocomplete, the text to continue) the task is about. */
  subject: string;
  /** How the UI reads the reply: a JSON object in the text, plain text, or a forced tool call. */
  reply:
    | { as: "json"; key: string }
    | { as: "text" }
    | { as: "tool-call"; name: string; properties: string[] }
    | { as: "json-schema"; properties: string[] };
}

interface RawMessage {
  role?: unknown;
  content?: unknown;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((p) =>
        p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string"
          ? (p as { text: string }).text
          : "",
      )
      .join("\n");
  return "";
}

/** `<tag>…</tag>` content, or undefined. */
function between(text: string, open: string, close: string): string | undefined {
  const i = text.indexOf(open);
  if (i < 0) return undefined;
  const j = text.indexOf(close, i + open.length);
  return j < 0 ? text.slice(i + open.length) : text.slice(i + open.length, j);
}

/** A transcript: lines that open with a speaker label, as chat UIs render one. */
const TRANSCRIPT =
  /(?:^|\n)\s*(?:\|\|>)?(?:USER|User|user|Human|HUMAN|ASSISTANT|Assistant|assistant|AI|Bot|Response|Message)\s*:/;
/** An instruction to produce housekeeping output about the conversation. */
const ABOUT_CONVERSATION = /\b(?:conversation|chat(?:\s+history)?|dialogue|discussion|exchange)\b/i;
const MAKE =
  /\b(?:generate|write|create|suggest|provide|give|produce|make|come up with|analy[sz]e|summari[sz]e|return)\b/i;
const TASKS: Array<[HousekeepingKind, RegExp]> = [
  ["follow-ups", /\bfollow[- ]?ups?\b|\bfollow[- ]up (?:questions|prompts)\b/i],
  ["tags", /\btags?\b.{0,80}\b(?:categori[sz]|themes?|topics?)\b|"tags"\s*:/i],
  ["search-queries", /\bsearch quer(?:y|ies)\b|"queries"\s*:/i],
  ["title", /\btitle\b/i],
  ["summary", /\bsummar(?:y|i[sz]e)\b/i],
];

/** What a housekeeping request wants back, from its JSON example or its tools. */
function replyShape(
  body: Record<string, unknown>,
  text: string,
  kind: HousekeepingKind,
): Housekeeping["reply"] {
  const tools = Array.isArray(body.tools) ? (body.tools as Array<Record<string, unknown>>) : [];
  const forced = body.tool_choice as { function?: { name?: unknown } } | string | undefined;
  const fn = tools
    .map(
      (t) => (t?.function ?? t) as { name?: unknown; parameters?: { properties?: Record<string, unknown> } },
    )
    .find(
      (f) => typeof f?.name === "string" && (typeof forced !== "object" || forced?.function?.name === f.name),
    );
  if (fn && forced !== "none")
    return {
      as: "tool-call",
      name: fn.name as string,
      properties: Object.keys(fn.parameters?.properties ?? {}),
    };
  const format = body.response_format as
    | { type?: unknown; json_schema?: { schema?: { properties?: object } } }
    | undefined;
  if (format?.type === "json_schema")
    return { as: "json-schema", properties: Object.keys(format.json_schema?.schema?.properties ?? {}) };
  const key: Partial<Record<HousekeepingKind, string>> = {
    title: "title",
    tags: "tags",
    "follow-ups": "follow_ups",
    "search-queries": "queries",
    autocomplete: "text",
    "image-prompt": "prompt",
    "tool-selection": "tool_calls",
  };
  const k = key[kind];
  if (k && (new RegExp(`"${k}"\\s*:`).test(text) || format?.type === "json_object"))
    return { as: "json", key: k };
  return { as: "text" };
}

/**
 * The housekeeping task a chat-completions request body is, or undefined for a real question.
 * Looks at every message's text (system and user), since UIs put the instruction in either.
 */
export function classifyHousekeeping(body: unknown): Housekeeping | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.messages)) return undefined;
  const messages = b.messages as RawMessage[];
  const text = messages.map((m) => textOf(m?.content)).join("\n");
  if (!text.trim()) return undefined;
  const found = classifyText(text);
  if (!found) return undefined;
  return { ...found, reply: replyShape(b, text, found.kind) };
}

function classifyText(text: string): Omit<Housekeeping, "reply"> | undefined {
  const history = between(text, "<chat_history>", "</chat_history>");
  // Open WebUI's autocompletion: continue <text> of completion <type>.
  if (
    /<type>[\s\S]*?<\/type>/.test(text) &&
    /<text>[\s\S]*?<\/text>/.test(text) &&
    /\bautocomplet/i.test(text)
  )
    return {
      kind: "autocomplete",
      subject: between(text.slice(text.lastIndexOf("<type>")), "<text>", "</text>") ?? "",
    };
  // Open WebUI's emoji for a message, and its tool-selection ("Available Tools: …") prompt.
  if (/\bemoji\b/i.test(text) && /facial expression|fitting,? diverse emojis/i.test(text))
    return { kind: "emoji", subject: between(text, "Message: ```", "```") ?? text };
  if (/^\s*Available Tools:/m.test(text) && /"tool_calls"/.test(text))
    return { kind: "tool-selection", subject: text };
  if (/\bimage generation\b/i.test(text) && (history || /"prompt"\s*:/.test(text)))
    return { kind: "image-prompt", subject: history ?? text };
  // Anything else: an instruction to make something of the conversation, and the conversation.
  const transcript = history ?? transcriptOf(text);
  if (transcript === undefined) return undefined;
  const instruction = text.replace(transcript, " ");
  if (!MAKE.test(instruction) || !(history || ABOUT_CONVERSATION.test(instruction))) return undefined;
  for (const [kind, re] of TASKS) if (re.test(instruction)) return { kind, subject: transcript.trim() };
  return undefined;
}

/** The transcript part of a text: from the first speaker label on, with at least two turns. */
function transcriptOf(text: string): string | undefined {
  const m = TRANSCRIPT.exec(text);
  if (!m) return undefined;
  const rest = text.slice(m.index);
  if ((rest.match(new RegExp(TRANSCRIPT.source, "g")) ?? []).length < 2) return undefined;
  return rest.replace(/\n\s*\|\|>Title:\s*$/, "");
}
