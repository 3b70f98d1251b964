/**
 * Three scripted local models, as pure functions of the context they are given (the `Lookup
 * results:` part of the answer request): a correct one (states every value of every result, cites it, says
 * "I don't know" when nothing came back), a sloppy one (the first row only, rounded, no citations)
 * and a hallucinating one (invents amounts, names and dates, cites steps that do not exist, and
 * answers even when nothing came back). The hallucinating one returns what it invented, so the
 * grounding check's flags can be scored for precision and recall.
 *
 * `scriptedGeneratorHandler(kind)` serves one of them from a fake OpenAI/Ollama server.
 */
import type { RecordedRequest } from "./fake-openai-server.js";

export type GeneratorKind = "correct" | "sloppy" | "hallucinating";

export interface ContextSection {
  id: string;
  columns: string[];
  rows: string[][];
  /** The lookup failed or returned nothing. */
  empty: boolean;
}

/** Reads the context as `src/context/layout.ts` renders it: `[s1] tool(args)`, then a table or `key: value` lines. */
export function parseContext(context: string): ContextSection[] {
  const sections: ContextSection[] = [];
  let current: ContextSection | undefined;
  for (const line of context.split("\n")) {
    const head = /^\[([A-Za-z]{1,3}\d{1,4})\] /.exec(line);
    if (head) {
      current = { id: head[1]!, columns: [], rows: [], empty: true };
      sections.push(current);
      continue;
    }
    if (!current || !line.trim()) continue;
    if (/^LOOKUP |\(none\)|\(nothing\)|\(no items\)|\(empty\)/.test(line)) continue;
    if (/^[\w ]+ \(\d+\):$/.test(line)) continue; // "rows (3):"
    if (line.includes(" | ")) {
      const cells = line.split(" | ").map((c) => c.trim());
      if (current.columns.length === 0) current.columns = cells;
      else {
        current.rows.push(cells);
        current.empty = false;
      }
    } else {
      const kv = /^([^:]{1,60}): (.*)$/.exec(line);
      // A SQL result's rowCount/truncated lines describe the table above: not data.
      if (kv && (current.columns.length > 1 || /^(rowCount|truncated)$/.test(kv[1]!))) continue;
      if (kv) {
        current.rows.push([kv[2]!]);
        current.columns = current.columns.length ? current.columns : [kv[1]!];
        current.empty = false;
      }
    }
  }
  return sections;
}

/** The lookup results of an answer request's last user message (a warm-up request: those so far). */
export function contextOfRequest(req: RecordedRequest): string {
  const messages = (req.json?.messages ?? []) as Array<{ role: string; content: unknown }>;
  const last = messages.filter((m) => m.role === "user").at(-1);
  const text =
    typeof last?.content === "string"
      ? last.content
      : Array.isArray(last?.content)
        ? (last.content as Array<{ text?: string }>).map((p) => p.text ?? "").join("")
        : "";
  // src/agent/answer-prompt.ts: the question, the results, then notes and the closing line.
  const m = /\nLookup results:\n([\s\S]*)$/.exec(text);
  if (!m) return "";
  const body = m[1]!
    .replace(/\s*Answer the question above from these results\.\s*$/, "")
    .replace(/\n\n(?:These lookups did not succeed|Parts of these results did not fit)[\s\S]*$/, "");
  return body.trim() === "(no lookups were needed or made)" ? "" : body;
}

const IDK = "I don't know: the lookups returned no data for this question.";

export function correctAnswer(context: string): string {
  const parts = parseContext(context)
    .filter((s) => !s.empty)
    .flatMap((s) => s.rows.map((r) => `${describeRow(s.columns, r)} [${s.id}].`));
  return parts.length ? parts.join(" ") : IDK;
}

export function sloppyAnswer(context: string): string {
  const first = parseContext(context).find((s) => !s.empty);
  if (!first) return "Nothing came up.";
  const row = first.rows[0]!.map((c) => (/^\d+\.\d+$/.test(c) ? String(Math.round(Number(c))) : c));
  return `Roughly: ${describeRow(first.columns, row)}.`;
}

const INVENTED_NAMES = [
  "Zebulon Marchetti",
  "Quorra Vandersloot",
  "Ysolde Kirkegaard",
  "Thaddeus Oyelaran",
  "Marisol Quennell",
  "Evander Szymanski",
];

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Invents about half of the values (amounts, names, dates) and a citation; records each invention. */
export function hallucinatingAnswer(
  context: string,
  options: { seed?: number; maxChars?: number } = {},
): { text: string; invented: string[] } {
  const random = rng(options.seed ?? 1);
  const invented: string[] = [];
  const sections = parseContext(context).filter((s) => !s.empty);
  if (!sections.length) {
    const made = ["Zebulon Marchetti", "873.21", "2024-02-11"];
    invented.push(...made, "[s1]");
    return { text: `${made[0]} spent ${made[1]} on ${made[2]} [s1].`, invented };
  }
  const parts: string[] = [];
  let length = 0;
  for (const s of sections) {
    for (const row of s.rows) {
      const cells = row.map((cell) => {
        if (random() >= 0.5) return cell;
        const made = invent(cell, random);
        if (made !== cell) invented.push(made);
        return made;
      });
      const cite = random() < 0.15 ? "[s9]" : `[${s.id}]`;
      if (cite === "[s9]") invented.push("[s9]");
      const part = `${describeRow(s.columns, cells)} ${cite}.`;
      if (options.maxChars && length + part.length > options.maxChars) break;
      parts.push(part);
      length += part.length + 1;
    }
  }
  const text = parts.join(" ");
  return { text, invented: invented.filter((v) => text.includes(v)) };
}

function invent(cell: string, random: () => number): string {
  if (/^\d{4}-\d{2}-\d{2}/.test(cell)) {
    const y = 2030 + Math.floor(random() * 5);
    return `${y}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
  }
  if (/^\d+(\.\d+)?$/.test(cell)) return (Number(cell) * 1.37 + 11.11 + random()).toFixed(2);
  if (/^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u.test(cell))
    return INVENTED_NAMES[Math.floor(random() * INVENTED_NAMES.length)]!;
  return cell;
}

function describeRow(columns: string[], row: string[]): string {
  return row.map((cell, i) => (columns[i] && columns.length > 1 ? `${columns[i]} ${cell}` : cell)).join("; ");
}

/** The reply for an answer request: a fake server's handler body (plan requests are not answered here). */
export function scriptedGeneratorReply(kind: GeneratorKind, req: RecordedRequest, seed = 1): string {
  const context = contextOfRequest(req);
  if (kind === "correct") return correctAnswer(context);
  if (kind === "sloppy") return sloppyAnswer(context);
  return hallucinatingAnswer(context, { seed }).text;
}
