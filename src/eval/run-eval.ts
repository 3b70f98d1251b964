/**
 * Runs a suite against one or more (planner, generator) combinations. Each combination builds its
 * agent through the runtime, exactly as `flm ask` would (trust checks, privacy, egress guard), then
 * asks every question (repeated, a few at a time) and scores the run: plan, answer, citations,
 * refusals, tokens, latency and what left for the cloud.
 */
import type { FlmConfig } from "../config/load-config.js";
import type { Agent } from "../core/agent.js";
import type { Plan } from "../core/plan.js";
import type { RunResult } from "../core/run-result.js";
import type { TokenUsage } from "../core/trace.js";
import { buildRuntime } from "../runtime/build-runtime.js";
import type { Caller } from "../tools/caller.js";
import { createEgressScanner, type EgressCheck, type EgressScanner } from "./egress-check.js";
import type { EvalQuestion, EvalSuite, QuestionLimits } from "./eval-suite-schema.js";
import { type AnswerScore, scoreAnswer } from "./score-answer.js";
import { type PlanScore, scorePlan } from "./score-plan.js";
import { type CombinationSummary, summarize } from "./summarize.js";

export interface Combination {
  /** A model spec as on the command line; undefined: the configuration's. */
  planner?: string;
  generator?: string;
}

export interface EvalOptions {
  suite: EvalSuite;
  /** The configuration the suite runs against (tools, privacy, default models). */
  config: FlmConfig;
  /** Default: one, the configuration's own models. */
  combinations?: Combination[];
  /** Questions run at once per combination. Default 1. */
  concurrency?: number;
  /** Runs per question. Default 1. */
  repeat?: number;
  /** Shuffles the order questions run in (reproducible); undefined: the suite's order. */
  seed?: number;
  agent?: string;
  user?: Caller;
  env?: Record<string, string | undefined>;
  /** The real fetch under guard and tap (tests). */
  fetch?: typeof fetch;
  onProgress?(done: number, total: number, label: string): void;
  signal?: AbortSignal;
}

export interface QuestionRun {
  question: string;
  /** 0-based repetition. */
  repeat: number;
  error?: { code: string; message: string };
  answer: string;
  /** The plan as the planner wrote it (placeholders, references; what the cloud chose). */
  plan?: Plan;
  planner?: string;
  planScore?: PlanScore;
  answerScore: AnswerScore;
  grounding?: RunResult["grounding"];
  latencyMs: number;
  /** From the question to the first answer token. */
  ttftMs?: number;
  tokens: { cloud: TokenUsage; local: TokenUsage };
  egress: EgressCheck;
  /** Limits of the question the run went over. */
  overLimits: string[];
}

export interface CombinationResult {
  label: string;
  planner: string;
  generator: string;
  summary: CombinationSummary;
  runs: QuestionRun[];
}

export interface EvalReport {
  suite: {
    name: string;
    description?: string;
    questions: Array<Pick<EvalQuestion, "id" | "question" | "idk" | "tags">>;
  };
  options: { repeat: number; concurrency: number; seed?: number };
  startedAt: string;
  durationMs: number;
  combinations: CombinationResult[];
}

export async function runEval(options: EvalOptions): Promise<EvalReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const combos = options.combinations?.length ? options.combinations : [{}];
  const repeat = Math.max(1, options.repeat ?? 1);
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const jobs = orderJobs(options.suite.questions, repeat, options.seed);
  const total = jobs.length * combos.length;
  let done = 0;
  const combinations: CombinationResult[] = [];
  for (const combo of combos) {
    const config = withModels(options.config, combo);
    const runtime = await buildRuntime(config, {
      agent: options.agent ?? options.suite.agent,
      only: true,
      env: options.env,
      fetch: options.fetch,
    });
    try {
      const described = runtime.describe();
      const label = `${combo.planner ?? described.planner} → ${combo.generator ?? described.generator}`;
      const scanner = createEgressScanner({
        values: runtime.privacy?.values,
        canaries: config.privacy?.canaries,
      });
      const runs = await pool(jobs, concurrency, async ({ question, repeat: r }) => {
        const run = await runQuestion(runtime.agent, question, r, { ...options, scanner });
        options.onProgress?.(++done, total, label);
        return run;
      });
      combinations.push({
        label,
        planner: combo.planner ?? described.planner,
        generator: combo.generator ?? described.generator,
        summary: summarize(runs, options.suite.questions),
        runs: sortRuns(runs, options.suite.questions),
      });
    } finally {
      await runtime.close();
    }
  }
  return {
    suite: {
      name: options.suite.name,
      description: options.suite.description,
      questions: options.suite.questions.map(({ id, question, idk, tags }) => ({ id, question, idk, tags })),
    },
    options: { repeat, concurrency, seed: options.seed },
    startedAt,
    durationMs: Math.round(performance.now() - started),
    combinations,
  };
}

/**
 * The configuration with `--planner`/`--generator` applied to every agent, as `flm ask` applies
 * them, and questions kept independent of each other (no answer taint across questions).
 */
export function withModels(config: FlmConfig, combo: Combination): FlmConfig {
  const { planner, generator } = combo;
  const agents = config.agents
    ? Object.fromEntries(
        Object.entries(config.agents).map(([name, entry]) => [
          name,
          {
            ...entry,
            ...(planner && entry.planner ? { planner } : {}),
            ...(generator && entry.generator ? { generator } : {}),
          },
        ]),
      )
    : undefined;
  return {
    ...config,
    // Each question starts clean: values earlier answers gave the same user are not carried into
    // the next question's prompt (in production they are: pseudonymized when quoted back).
    privacy: { ...config.privacy, answerTaintTtl: 1 },
    ...(planner ? { planner } : {}),
    ...(generator ? { generator } : {}),
    ...(agents ? { agents } : {}),
  };
}

async function runQuestion(
  agent: Agent,
  question: EvalQuestion,
  repeat: number,
  options: EvalOptions & { scanner: EgressScanner },
): Promise<QuestionRun> {
  const limits: QuestionLimits = { ...options.suite.limits, ...question.limits };
  const signals = [options.signal, limits.timeoutMs ? AbortSignal.timeout(limits.timeoutMs) : undefined];
  const signal = AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
  const t0 = performance.now();
  let ttftMs: number | undefined;
  let result: RunResult | undefined;
  let error: QuestionRun["error"];
  try {
    for await (const event of agent.stream(question.question, {
      user: options.user ?? { id: "flm-eval", roles: ["local"] },
      session: agent.createSession(),
      signal,
    })) {
      if (event.type === "text-delta" && ttftMs === undefined) ttftMs = performance.now() - t0;
      else if (event.type === "done") result = event.result;
    }
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const timedOut = limits.timeoutMs !== undefined && signal.aborted && !options.signal?.aborted;
    error = {
      code: err.code ?? "RUN_INCOMPLETE",
      message: timedOut
        ? `stopped after ${limits.timeoutMs} ms (limits.timeoutMs)`
        : (err.message ?? String(e)),
    };
  }
  const latencyMs = performance.now() - t0;
  const answer = result?.text ?? "";
  const outcomes = result?.steps ?? [];
  const trace = result?.trace;
  const planScore =
    question.calls && result ? scorePlan(question.calls, trace?.plan?.steps ?? [], outcomes) : undefined;
  const answerScore = scoreAnswer(question, answer, outcomes, result?.grounding);
  if (error) Object.assign(answerScore, { score: 0, correct: false });
  const tokens = trace?.usage ?? {
    cloud: { inputTokens: 0, outputTokens: 0 },
    local: { inputTokens: 0, outputTokens: 0 },
  };
  const egress = options.scanner.check(trace?.egress ?? []);
  const overLimits: string[] = [];
  if (limits.maxLatencyMs && latencyMs > limits.maxLatencyMs) overLimits.push("latency");
  const cloudTokens = tokens.cloud.inputTokens + tokens.cloud.outputTokens;
  if (limits.maxCloudTokens && cloudTokens > limits.maxCloudTokens) overLimits.push("cloud tokens");
  if (limits.maxSteps && outcomes.length > limits.maxSteps) overLimits.push("steps");
  return {
    question: question.id,
    repeat,
    error,
    answer,
    plan: trace?.plan,
    planner: trace?.planner,
    planScore,
    answerScore,
    grounding: result?.grounding,
    latencyMs: Math.round(latencyMs * 10) / 10,
    ttftMs: ttftMs === undefined ? undefined : Math.round(ttftMs * 10) / 10,
    tokens,
    egress,
    overLimits,
  };
}

interface Job {
  question: EvalQuestion;
  repeat: number;
}

/** Every (question, repetition), in the suite's order or shuffled by `seed`. */
function orderJobs(questions: EvalQuestion[], repeat: number, seed: number | undefined): Job[] {
  const jobs = Array.from({ length: repeat }, (_, r) =>
    questions.map((question) => ({ question, repeat: r })),
  ).flat();
  if (seed === undefined) return jobs;
  let s = seed >>> 0 || 1;
  const random = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = jobs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
  }
  return jobs;
}

function sortRuns(runs: QuestionRun[], questions: EvalQuestion[]): QuestionRun[] {
  const index = new Map(questions.map((q, i) => [q.id, i]));
  return [...runs].sort((a, b) => index.get(a.question)! - index.get(b.question)! || a.repeat - b.repeat);
}

/** Runs `fn` over `items`, `limit` at a time; results in input order. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
