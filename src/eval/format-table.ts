/** The terminal view of an eval report: one row per model combination, then one row per question. */
import type { EvalReport } from "./run-eval.js";
import type { CombinationSummary } from "./summarize.js";

const pct = (x: number | undefined) => (x === undefined ? "–" : `${Math.round(x * 100)}%`);
const int = (x: number) => x.toLocaleString("en-US");

/** The summary columns, as header → cell; shared by the table and the HTML report. */
export const SUMMARY_COLUMNS: Array<[string, (s: CombinationSummary) => string]> = [
  ["accuracy", (s) => pct(s.accuracy)],
  ["answer", (s) => s.answerScore.toFixed(2)],
  ["recall", (s) => pct(s.factRecall)],
  ["false facts", (s) => int(s.falseFacts)],
  ["citations ok", (s) => pct(s.citationValidity)],
  ["plan ok", (s) => pct(s.planCorrect)],
  ["plan", (s) => (s.planScore === undefined ? "–" : s.planScore.toFixed(2))],
  [
    "refusals",
    (s) =>
      `${s.refusals.correct}/${s.refusals.expected}${s.refusals.unwarranted ? ` +${s.refusals.unwarranted}` : ""}`,
  ],
  ["cloud tok", (s) => int(s.tokens.cloudInput + s.tokens.cloudOutput)],
  ["local tok", (s) => int(s.tokens.localInput + s.tokens.localOutput)],
  ["p50 ms", (s) => int(s.latencyMs.p50)],
  ["p95 ms", (s) => int(s.latencyMs.p95)],
  ["ttft p50", (s) => (s.ttftMs ? int(s.ttftMs.p50) : "–")],
  ["egress B", (s) => int(s.egress.bytes)],
  ["blocked", (s) => int(s.egress.blocked)],
  ["leaks", (s) => int(s.egress.sensitive + s.egress.canaries)],
  ["errors", (s) => int(s.errors)],
];

export function formatTable(report: EvalReport): string {
  const header = ["planner → generator", ...SUMMARY_COLUMNS.map(([h]) => h)];
  const rows = report.combinations.map((c) => [c.label, ...SUMMARY_COLUMNS.map(([, f]) => f(c.summary))]);
  const out = [
    `${report.suite.name}: ${report.suite.questions.length} question(s) × ${report.options.repeat} run(s) × ${report.combinations.length} combination(s), ${(report.durationMs / 1000).toFixed(1)} s`,
    "",
    ...grid([header, ...rows], 1),
  ];
  // Per question: answer (A) and plan (P) right or wrong, per combination.
  const qHeader = ["question", ...report.combinations.map((_, i) => `#${i + 1}`)];
  const qRows = report.suite.questions.map((q) => [
    `${q.id} ${truncate(q.question, 60)}`,
    ...report.combinations.map((c) => {
      const runs = c.runs.filter((r) => r.question === q.id);
      const ok = runs.filter((r) => r.answerScore.correct).length;
      const plan = runs.filter((r) => r.planScore?.correct).length;
      const planned = runs.some((r) => r.planScore);
      const mark = (n: number) => (n === runs.length ? "✓" : n === 0 ? "✗" : `${n}/${runs.length}`);
      return `A${mark(ok)}${planned ? ` P${mark(plan)}` : ""}${runs.some((r) => r.error) ? " !" : ""}`;
    }),
  ]);
  out.push("", ...grid([qHeader, ...qRows], 0));
  out.push(
    "",
    ...report.combinations.map((c, i) => `#${i + 1} ${c.label}`),
    "A: answer right (all facts, nothing false, declined when it should)  P: plan right  !: the run failed",
    "leaks: sensitive values or canaries found in what left for the cloud (must be 0)",
  );
  return out.join("\n");
}

/** Left-aligned columns; columns from `firstNumeric` on are right-aligned. */
function grid(rows: string[][], firstNumeric: number): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i >= firstNumeric && i > 0 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => "─".repeat(w)).join("  "), ...rows.slice(1).map(line)];
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
