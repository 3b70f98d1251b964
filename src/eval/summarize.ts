/** One combination's scores over all its runs: the row of the table and the bars of the report. */
import type { EvalQuestion } from "./eval-suite-schema.js";
import type { QuestionRun } from "./run-eval.js";

export interface CombinationSummary {
  runs: number;
  /** Runs that failed (error, timeout). */
  errors: number;
  /** Share of runs whose answer was right: every fact, nothing false, declined exactly when it should. */
  accuracy: number;
  /** Mean answer score (recall when nothing false was stated, 0 otherwise). */
  answerScore: number;
  /** Mean fact recall over runs of questions with facts. */
  factRecall?: number;
  /** False facts stated, in all runs. */
  falseFacts: number;
  /** Mean citation validity over runs that cited. */
  citationValidity?: number;
  /** Share of runs whose plan was exactly right (questions with expected calls). */
  planCorrect?: number;
  /** Mean plan score. */
  planScore?: number;
  refusals: { expected: number; correct: number; unwarranted: number };
  tokens: { cloudInput: number; cloudOutput: number; localInput: number; localOutput: number };
  latencyMs: { p50: number; p95: number };
  ttftMs?: { p50: number; p95: number };
  egress: { requests: number; bytes: number; blocked: number; sensitive: number; canaries: number };
  overLimits: number;
}

export function summarize(runs: QuestionRun[], questions: EvalQuestion[]): CombinationSummary {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const mean = (xs: number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : undefined);
  const sum = (f: (r: QuestionRun) => number) => runs.reduce((n, r) => n + f(r), 0);
  const defined = <T>(xs: Array<T | undefined>) => xs.filter((x): x is T => x !== undefined);
  const planned = defined(runs.map((r) => r.planScore));
  const ttft = defined(runs.map((r) => r.ttftMs));
  const idk = runs.filter((r) => byId.get(r.question)?.idk);
  return {
    runs: runs.length,
    errors: runs.filter((r) => r.error).length,
    accuracy: mean(runs.map((r) => (r.answerScore.correct ? 1 : 0))) ?? 0,
    answerScore: mean(runs.map((r) => r.answerScore.score)) ?? 0,
    factRecall: mean(defined(runs.map((r) => r.answerScore.factRecall))),
    falseFacts: sum((r) => r.answerScore.falseFacts),
    citationValidity: mean(defined(runs.map((r) => r.answerScore.citationValidity))),
    planCorrect: mean(planned.map((p) => (p.correct ? 1 : 0))),
    planScore: mean(planned.map((p) => p.score)),
    refusals: {
      expected: idk.length,
      correct: idk.filter((r) => r.answerScore.correctRefusal).length,
      unwarranted: runs.filter((r) => !byId.get(r.question)?.idk && r.answerScore.declined).length,
    },
    tokens: {
      cloudInput: sum((r) => r.tokens.cloud.inputTokens),
      cloudOutput: sum((r) => r.tokens.cloud.outputTokens),
      localInput: sum((r) => r.tokens.local.inputTokens),
      localOutput: sum((r) => r.tokens.local.outputTokens),
    },
    latencyMs: percentiles(runs.map((r) => r.latencyMs)),
    ttftMs: ttft.length ? percentiles(ttft) : undefined,
    egress: {
      requests: sum((r) => r.egress.requests),
      bytes: sum((r) => r.egress.bytes),
      blocked: sum((r) => r.egress.blocked),
      sensitive: sum((r) => r.egress.sensitive),
      canaries: sum((r) => r.egress.canaries),
    },
    overLimits: runs.filter((r) => r.overLimits.length).length,
  };
}

/** Nearest-rank p50 and p95. */
export function percentiles(values: number[]): { p50: number; p95: number } {
  if (!values.length) return { p50: 0, p95: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return { p50: Math.round(at(0.5)), p95: Math.round(at(0.95)) };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
