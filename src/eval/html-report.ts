/**
 * The HTML report of `flm eval --report out.html`: one self-contained file (inline CSS, no script,
 * no external asset) with per-model bars for accuracy, latency and tokens, the summary table, and
 * every question with each model's plan and answer. Everything from a model or a suite is escaped.
 */
import { SUMMARY_COLUMNS } from "./format-table.js";
import type { CombinationResult, EvalReport, QuestionRun } from "./run-eval.js";

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: unknown): string => String(s ?? "").replace(/[&<>"']/g, (c) => ESC[c]!);

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1b1f24;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.muted{color:#57606a}table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px}
.chart{border:1px solid #d0d7de;border-radius:6px;padding:10px}
.chart h3{font-size:14px;margin:0 0 8px}.row{display:grid;grid-template-columns:minmax(80px,40%) 1fr;gap:6px;align-items:center;margin:3px 0}
.label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:12px}
.track{background:#eaeef2;border-radius:3px;height:16px;position:relative}
.bar{background:#0969da;height:16px;border-radius:3px}.bar.b2{background:#8250df}
.val{position:absolute;right:4px;top:0;font-size:11px;line-height:16px}
.ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}
pre{white-space:pre-wrap;word-break:break-word;margin:2px 0;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
details summary{cursor:pointer}.leak{background:#ffebe9}
`;

export function renderHtmlReport(report: EvalReport): string {
  const combos = report.combinations;
  const title = `flm eval: ${report.suite.name}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="muted">${escapeHtml(report.suite.description ?? "")}</p>
<p class="muted">${report.suite.questions.length} question(s) × ${report.options.repeat} run(s) × ${combos.length} combination(s) · concurrency ${report.options.concurrency}${report.options.seed === undefined ? "" : ` · seed ${report.options.seed}`} · started ${escapeHtml(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s</p>
<h2>Models side by side</h2>
<div class="charts">
${chart(
  "Accuracy (answers right)",
  combos,
  (c) => c.summary.accuracy,
  (v) => `${Math.round(v * 100)}%`,
  1,
)}
${chart(
  "Latency p50 (ms)",
  combos,
  (c) => c.summary.latencyMs.p50,
  (v) => `${Math.round(v)}`,
)}
${chart(
  "Latency p95 (ms)",
  combos,
  (c) => c.summary.latencyMs.p95,
  (v) => `${Math.round(v)}`,
)}
${chart(
  "Cloud tokens",
  combos,
  (c) => c.summary.tokens.cloudInput + c.summary.tokens.cloudOutput,
  (v) => v.toLocaleString("en-US"),
)}
${chart(
  "Local tokens",
  combos,
  (c) => c.summary.tokens.localInput + c.summary.tokens.localOutput,
  (v) => v.toLocaleString("en-US"),
  undefined,
  "b2",
)}
</div>
<h2>Scores</h2>
<table class="summary"><thead><tr><th>planner → generator</th>${SUMMARY_COLUMNS.map(([h]) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>
<tbody>${combos
    .map(
      (c) =>
        `<tr${c.summary.egress.sensitive + c.summary.egress.canaries > 0 ? ' class="leak"' : ""}><td>${escapeHtml(c.label)}</td>${SUMMARY_COLUMNS.map(([, f]) => `<td class="n">${escapeHtml(f(c.summary))}</td>`).join("")}</tr>`,
    )
    .join("\n")}</tbody></table>
<p class="muted">accuracy: every expected fact stated, nothing false, "I don't know" exactly when right · answer: fact recall when nothing false was stated, else 0 · false facts: values in neither the context nor the prompt, and forbidden values · citations ok: [sN] pointing at a step that returned data · plan ok: the expected tools, arguments and dependencies, nothing more · refusals: right refusals / expected (+ unwarranted) · leaks: sensitive values or canaries in what left for the cloud (must be 0).</p>
<h2>Questions</h2>
<table class="questions"><thead><tr><th>question</th>${combos.map((c, i) => `<th>#${i + 1} ${escapeHtml(c.label)}</th>`).join("")}</tr></thead>
<tbody>
${report.suite.questions
  .map(
    (q) =>
      `<tr id="q-${escapeHtml(q.id)}"><td><b>${escapeHtml(q.id)}</b> ${escapeHtml(q.question)}${q.idk ? ' <span class="muted">(right answer: I don\'t know)</span>' : ""}</td>${combos
        .map(
          (c) =>
            `<td>${c.runs
              .filter((r) => r.question === q.id)
              .map(runCell)
              .join("<hr>")}</td>`,
        )
        .join("")}</tr>`,
  )
  .join("\n")}
</tbody></table>
</body></html>
`;
}

function chart(
  title: string,
  combos: CombinationResult[],
  value: (c: CombinationResult) => number,
  format: (v: number) => string,
  max?: number,
  cls = "",
): string {
  const top = max ?? Math.max(1e-9, ...combos.map(value));
  const rows = combos
    .map((c, i) => {
      const v = value(c);
      const w = Math.max(0, Math.min(100, (v / top) * 100));
      return `<div class="row"><span class="label" title="${escapeHtml(c.label)}">#${i + 1} ${escapeHtml(c.label)}</span><div class="track"><div class="bar ${cls}" style="width:${w.toFixed(1)}%"></div><span class="val">${escapeHtml(format(v))}</span></div></div>`;
    })
    .join("");
  return `<div class="chart"><h3>${escapeHtml(title)}</h3>${rows}</div>`;
}

function runCell(run: QuestionRun): string {
  const a = run.answerScore;
  const mark = (ok: boolean | undefined) => (ok ? '<span class="ok">✓</span>' : '<span class="bad">✗</span>');
  const plan = run.plan?.steps.length
    ? run.plan.steps.map((s) => `${s.id} ${s.tool}(${JSON.stringify(s.args)})`).join("\n")
    : "(no tool calls)";
  const facts = [
    a.factRecall === undefined ? "" : `recall ${Math.round(a.factRecall * 100)}%`,
    a.falseFacts ? `false: ${a.falseFactSpans.join(", ")}` : "",
    a.missing.length ? `missing: ${a.missing.slice(0, 8).join(", ")}${a.missing.length > 8 ? " …" : ""}` : "",
    a.citationValidity === undefined ? "" : `citations ${Math.round(a.citationValidity * 100)}%`,
  ].filter(Boolean);
  return `<div class="run">answer ${mark(a.correct)}${run.planScore ? ` · plan ${mark(run.planScore.correct)}` : ""} · ${Math.round(run.latencyMs)} ms${run.error ? ` · <span class="bad">${escapeHtml(run.error.code)}</span>` : ""}
<pre class="answer">${escapeHtml(run.error ? run.error.message : run.answer)}</pre>
${facts.length ? `<div class="muted">${escapeHtml(facts.join(" · "))}</div>` : ""}
<details><summary>plan${run.planScore && !run.planScore.correct ? ` (${escapeHtml(run.planScore.problems.join("; "))})` : ""}</summary><pre>${escapeHtml(plan)}</pre></details></div>`;
}
