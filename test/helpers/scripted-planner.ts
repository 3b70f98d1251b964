/**
 * A scripted cloud planner for eval suites: it recognises which suite question it was asked (by
 * its words; names and e-mails arrive as placeholders) and replies with the suite's expected calls,
 * written with the placeholders it saw, as a capable planner that never sees data would.
 */
import type { EvalQuestion } from "../../src/eval/eval-suite-schema.js";
import { type RecordedRequest, type Reply, reply } from "./fake-openai-server.js";

const PLACEHOLDER = /<[A-Z][A-Z_]*_\d+>/g;

export function lastUserText(req: RecordedRequest): string {
  const messages = (req.json?.messages ?? []) as Array<{ role: string; content: unknown }>;
  const content = messages.filter((m) => m.role === "user").at(-1)?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p: { text?: string }) => p.text ?? "").join("");
  return "";
}

const words = (s: string) =>
  new Set(
    s
      .replace(PLACEHOLDER, " ")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [],
  );

/** String argument values of a question's expected calls that its text contains. */
function argValues(question: EvalQuestion): string[] {
  const out: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === "string" && question.question.includes(v)) out.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === "object") Object.values(v).forEach(collect);
  };
  for (const c of question.calls ?? []) collect(c.args);
  return out;
}

/** Which question the prompt is: most words in common (Jaccard), values that became placeholders left out. */
export function recogniseQuestion(questions: EvalQuestion[], prompt: string): EvalQuestion | undefined {
  const seen = words(prompt);
  let best: EvalQuestion | undefined;
  let bestScore = 0;
  for (const q of questions) {
    let text = q.question;
    for (const v of argValues(q)) if (!prompt.includes(v)) text = text.split(v).join(" ");
    const w = words(text);
    let common = 0;
    for (const x of w) if (seen.has(x)) common++;
    const score = common / (w.size + seen.size - common || 1);
    if (score > bestScore) [best, bestScore] = [q, score];
  }
  return bestScore >= 0.6 ? best : undefined;
}

/** The expected calls as a plan; values the prompt carried as placeholders are written as those. */
export function planFor(question: EvalQuestion, prompt: string) {
  const values = new Set(argValues(question));
  const swap = new Map<string, string>();
  const ordered = [...values].filter((v) => !prompt.includes(v));
  if (ordered.length) {
    let pattern = question.question.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    for (const v of ordered)
      pattern = pattern.split(v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("(<[A-Z_]+_\\d+>)");
    const m = new RegExp(pattern).exec(prompt);
    if (m) {
      // Groups come in order of appearance in the question.
      const positions = ordered
        .flatMap((v) => {
          const at: Array<[number, string]> = [];
          for (let i = question.question.indexOf(v); i >= 0; i = question.question.indexOf(v, i + 1))
            at.push([i, v]);
          return at;
        })
        .sort((a, b) => a[0] - b[0]);
      positions.forEach(([, v], i) => {
        if (m[i + 1]) swap.set(v, m[i + 1]!);
      });
    }
  }
  const rewrite = (v: unknown): unknown => {
    if (typeof v === "string") return swap.get(v) ?? v;
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x)]));
    return v;
  };
  return {
    steps: (question.calls ?? []).map((c, i) => ({
      id: c.id ?? `s${i + 1}`,
      tool: c.tool,
      args: rewrite(c.args ?? {}),
    })),
  };
}

/** A fake server handler planning every question of `questions` as expected. */
export function suitePlannerHandler(questions: EvalQuestion[]): (req: RecordedRequest) => Reply {
  return (req) => {
    const prompt = lastUserText(req);
    const q = recogniseQuestion(questions, prompt);
    return reply.json(q ? planFor(q, prompt) : { steps: [] });
  };
}
