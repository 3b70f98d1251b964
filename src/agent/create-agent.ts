import { randomUUID } from "node:crypto";
import type { LanguageModel } from "ai";
import { assembleContext, createContextLayout } from "../context/assemble-context.js";
import type { ContextLayout } from "../context/context-layout.js";
import { approximateTokenCounter, type TokenCounter } from "../context/token-counter.js";
import type { Agent, RunOptions } from "../core/agent.js";
import type { EmitEvent } from "../core/events.js";
import { type AgentPrivacy, openSessionPrivacy, type SessionPrivacy } from "../core/privacy-hooks.js";
import type { RunResult } from "../core/run-result.js";
import { RunCancelledError } from "../core/run-errors.js";
import { currentRunScope, type RunScope, withRunScope } from "../core/run-scope.js";
import { addUsage, newRunTrace, type PlannerFallback, type RunTrace, timed } from "../core/trace.js";
import { FlmError } from "../errors/flm-error.js";
import { buildPlanRequest } from "../plan/build-plan-request.js";
import { createModelPlanner } from "../plan/model-planner.js";
import { planWithRepairs } from "../plan/plan-with-repairs.js";
import type { PlannerMode } from "../plan/planner-prompt.js";
import type { Planner } from "../plan/planner.js";
import type { Tool } from "../tools/tool.js";
import { createToolCatalog, type ToolCatalog } from "../tools/tool-catalog.js";
import type { ToolSource } from "../tools/tool-source.js";
import { toolSpec } from "../tools/tool.js";
import { type AgentLimits, DEFAULT_LIMITS } from "./agent-limits.js";
import type { OnUngrounded } from "../core/grounding.js";
import { startAnswerPrefill } from "./answer-prefill.js";
import { answerFixedTokens, answerHistory, answerLocally } from "./answer-stage.js";
import { groundedAnswer } from "./grounded-answer.js";
import { planAndExecute } from "./plan-and-execute.js";
import { streamRun } from "./run-stream.js";

export type { Agent, RunOptions } from "../core/agent.js";
export { type AgentLimits, DEFAULT_LIMITS } from "./agent-limits.js";

export interface AgentOptions {
  /** The cloud model (or any Planner). It sees the pseudonymized prompt and tool schemas only. */
  planner: LanguageModel | Planner;
  /** Used when the planner is unreachable or times out (typically a local model). */
  fallbackPlanner?: Planner;
  /**
   * How a LanguageModel planner answers: `compact` plan lines (default: fewest output tokens),
   * a JSON plan (both allow dependent steps), or native `tool-calls` (no dependent steps).
   */
  plannerMode?: PlannerMode;
  /** The local model that writes the answer from the tool results. */
  generator: LanguageModel;
  tools: Array<Tool | ToolSource>;
  limits?: Partial<AgentLimits>;
  /** The generator's context window in tokens. */
  contextWindow?: number;
  /** Tokens kept free for the answer. */
  answerReserve?: number;
  tokenCounter?: TokenCounter;
  privacy?: AgentPrivacy;
  /**
   * When results do not fit the window, extract facts chunk by chunk with the local model
   * (map-reduce) instead of showing a cut. `parallel`: chunks at once (1 for one in-process context).
   */
  mapReduce?: { enabled?: boolean; parallel?: number };
  /** Clock, for the date the planner is given. */
  now?: () => Date;
  /** Latency techniques, each on by default (turn one off to compare). */
  latency?: {
    /** Start each read-only step as soon as it has streamed in from the planner. */
    streamPlan?: boolean;
    /**
     * Let the local model read the answer prompt ahead (instructions and question while the cloud
     * plans, each result as it arrives), when it can: in-process llama.cpp, or a local server
     * wrapped with `withPromptWarmUp`. Results are then shown in the order they finished.
     */
    prefill?: boolean;
  };
  /** The answer is checked against the context (numbers, dates, names, identifiers, citations). */
  answer?: {
    /**
     * When it states something the context does not: `flag` (default: report it in
     * `result.grounding`), `retry` (ask the local model once more, naming the spans), `refuse`
     * (replace the answer with a clear message). With retry/refuse the answer streams once checked.
     */
    onUngrounded?: OnUngrounded;
  };
}

function isPlanner(value: LanguageModel | Planner): value is Planner {
  return typeof value === "object" && value !== null && typeof (value as Planner).plan === "function";
}

/** What every run of one agent shares. */
interface AgentSetup {
  options: AgentOptions;
  limits: AgentLimits;
  planner: Planner;
  catalog: ToolCatalog;
  counter: TokenCounter;
  contextWindow: number;
  answerReserve: number;
}

/** One run in progress: its trace (which the stages fill in), signal and event sink. */
interface RunState {
  prompt: string;
  run: RunOptions;
  trace: RunTrace;
  signal: AbortSignal;
  emit: EmitEvent;
}

/**
 * The agent: pseudonymize → plan (with repairs) → execute → assemble the context → answer.
 * Each stage is a function in the folder of its step; this file only composes them, times them
 * into the trace (`timed`), and carries the run scope (egress records, caller, privacy session).
 */
export function createAgent(options: AgentOptions): Agent {
  const contextWindow = options.contextWindow ?? 8192;
  const setup: AgentSetup = {
    options,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    planner: isPlanner(options.planner)
      ? options.planner
      : createModelPlanner({ model: options.planner, mode: options.plannerMode ?? "compact" }),
    catalog: createToolCatalog(options.tools),
    counter: options.tokenCounter ?? approximateTokenCounter,
    contextWindow,
    answerReserve: options.answerReserve ?? Math.min(1024, Math.floor(contextWindow / 4)),
  };
  const newTrace = (run: RunOptions) => {
    const trace = newRunTrace(run.runId ?? randomUUID(), setup.planner.name);
    run.onTrace?.(trace);
    return trace;
  };
  const stream = (prompt: string, run: RunOptions = {}) =>
    streamRun(
      (emit, signal) => executeRun(setup, { prompt, run, trace: newTrace(run), signal, emit }),
      run.signal,
    );

  return {
    stream,
    async run(prompt, run) {
      for await (const event of stream(prompt, run)) if (event.type === "done") return event.result;
      throw new FlmError("RUN_INCOMPLETE", "The run ended without a result.");
    },
    async plan(prompt, run = {}) {
      const trace = newTrace(run);
      const state = {
        prompt,
        run,
        trace,
        signal: run.signal ?? new AbortController().signal,
        emit: () => {},
      };
      const { plan } = await withRunScope(scopeOf(trace, run), () => planStage(setup, state));
      return { plan, trace };
    },
    tools: async () => [...(await setup.catalog.load()).values()],
    createSession: () => options.privacy?.createSession(),
    answerLocally: (prompt, local = {}) =>
      answerLocally(options.generator, prompt, {
        signal: local.signal,
        maxOutputTokens: local.maxOutputTokens,
        timeoutMs: setup.limits.answerTimeoutMs,
      }),
    close: () => setup.catalog.close(),
  };
}

/** Pseudonymize: what the planner will be asked. */
async function prepareStage(setup: AgentSetup, state: RunState) {
  const { options, limits } = setup;
  const { prompt, run, trace } = state;
  if (typeof prompt !== "string" || !prompt.trim()) {
    throw new FlmError("PROMPT_EMPTY", "The prompt is empty.", {
      hint: "Pass the question as a non-empty string.",
    });
  }
  const tools = await setup.catalog.load();
  const specs = [...tools.values()].map(toolSpec);
  const privacy = await openSessionPrivacy(
    options.privacy,
    run.session,
    specs,
    run.user?.id,
    run.conversation,
  );
  const built = await timed(trace, "pseudonymize", () =>
    buildPlanRequest({
      prompt,
      history: run.history,
      historyLimits: {
        maxTurns: limits.maxHistoryTurns,
        maxChars: limits.maxHistoryChars,
        maxTurnChars: Math.min(2_000, limits.maxHistoryChars),
      },
      tools: specs,
      date: options.now?.() ?? new Date(),
      maxSteps: limits.maxSteps,
      privacy,
    }),
  );
  const request = built.request;
  trace.history = { received: run.history?.length ?? 0, planner: built.historySent, generator: 0 };
  trace.plannerPrompt = request.prompt;
  const review = currentRunScope()?.privacyReview;
  if (review) trace.stages.review = review.ms;
  return { tools, privacy, request };
}

/** Pseudonymize and plan: everything up to (and including) what the cloud sees. */
async function planStage(setup: AgentSetup, state: RunState) {
  const { options, limits, planner } = setup;
  const { trace, signal, emit } = state;
  const { tools, privacy, request } = await prepareStage(setup, state);
  const planned = await timed(trace, "plan", () =>
    planWithRepairs({
      planner,
      fallbackPlanner: options.fallbackPlanner,
      request,
      tools,
      limits,
      signal,
      privacy,
      onRepair: (attempt, issues) => emit({ type: "repair", attempt, errors: issues.map((i) => i.message) }),
      onFallback: (fallback) => reportFallback(fallback, trace, emit, privacy),
    }),
  );
  Object.assign(trace, { planner: planned.planner, repairs: planned.repairs, plan: planned.plan });
  addUsage(trace.usage.cloud, planned.usage.cloud);
  addUsage(trace.usage.local, planned.usage.local);
  emit({ type: "plan", plan: planned.plan, planner: planned.planner, repairs: planned.repairs });
  return { tools, privacy, plan: planned.plan };
}

/** A whole run: plan, execute the tools locally, assemble the context, answer locally. */
async function executeRun(setup: AgentSetup, state: RunState): Promise<RunResult> {
  const { options, limits, counter } = setup;
  const { prompt, run, trace, signal, emit } = state;
  const t0 = performance.now();
  return withRunScope(scopeOf(trace, run), async () => {
    const { tools, privacy, request } = await prepareStage(setup, state);
    // The earlier turns the local model reads: the most recent within the limits and a third of its window.
    const history = answerHistory(
      run.history ?? [],
      { maxTurns: limits.maxHistoryTurns, maxChars: limits.maxHistoryChars },
      Math.floor((setup.contextWindow - setup.answerReserve) / 3),
      counter,
    );
    if (trace.history) trace.history.generator = history.length;
    const budget = {
      contextWindow: setup.contextWindow,
      answerReserve: setup.answerReserve,
      fixedTokens: answerFixedTokens(prompt, history, counter),
    };
    // Prefill while waiting: the local model reads its instructions and the question while the
    // cloud plans, then each result as it arrives (laid out in the order they finish).
    const prefill =
      options.latency?.prefill === false
        ? undefined
        : startAnswerPrefill(options.generator, { prompt, history }, signal);
    const layouts = new Map<number, ContextLayout>();
    const { outcomes, call } = await planAndExecute({
      plan: {
        planner: setup.planner,
        fallbackPlanner: options.fallbackPlanner,
        request,
        limits,
        onFallback: (fallback) => reportFallback(fallback, trace, emit, privacy),
      },
      tools,
      steps: { limits, caller: run.user },
      privacy,
      signal,
      emit,
      trace,
      t0,
      streamPlan: options.latency?.streamPlan !== false,
      onRun: prefill
        ? (n) => {
            const layout = createContextLayout(budget, counter, options.mapReduce);
            layouts.set(n, layout);
            return (outcome) => {
              if (layout.add(outcome)) prefill.update(layout.resultsText);
            };
          }
        : undefined,
    });
    prefill?.finish();
    if (signal.aborted) throw new RunCancelledError(signal.reason);
    // What the tools returned is the user's from now on: tainted for them before they see any of it.
    const results = outcomes.flatMap((o) =>
      o.status === "ok" ? [{ stepId: o.step.id, output: o.output }] : [],
    );
    await privacy?.remember({ runId: trace.id, results });

    const context = await timed(trace, "context", () =>
      assembleContext({
        outcomes,
        layout: layouts.get(call),
        question: prompt,
        budget,
        counter,
        model: options.generator,
        mapReduce: options.mapReduce,
        signal,
      }),
    );
    addUsage(trace.usage.local, context.usage);
    trace.context = context.trace;
    const { includedSteps, tokens, strategy } = context.trace;
    emit({ type: "context", includedSteps, droppedSteps: context.droppedSteps, tokens, strategy });

    const answer = await timed(trace, "answer", () =>
      groundedAnswer({
        model: options.generator,
        outcomes,
        droppedSteps: context.droppedSteps,
        prompt,
        context: context.text,
        history,
        timeoutMs: limits.answerTimeoutMs,
        signal,
        emit,
        onUngrounded: options.answer?.onUngrounded ?? "flag",
        onChecked: (ms) => {
          trace.stages.grounding = ms;
        },
        prefill,
      }),
    );
    addUsage(trace.usage.local, answer.usage);
    trace.grounding = answer.grounding;
    await privacy?.remember({ runId: trace.id, results: [], answer: answer.text, prompt });
    if (prefill) trace.prefill = { ...prefill.stats };
    trace.stages.total = performance.now() - t0;
    return {
      text: answer.text,
      citations: answer.citations,
      steps: outcomes,
      trace,
      grounding: answer.grounding,
    };
  });
}

/**
 * The cloud planner failed and the local one planned: the real cause stays visible, in the trace
 * (`plannerFallback`, a warning), as a `warning` event and in the audit log.
 */
async function reportFallback(
  fallback: PlannerFallback,
  trace: RunTrace,
  emit: EmitEvent,
  privacy: SessionPrivacy | undefined,
): Promise<void> {
  const { cause } = fallback;
  const where = [cause.endpoint, cause.status ? `HTTP ${cause.status}` : cause.code]
    .filter(Boolean)
    .join(", ");
  const message = `The cloud planner ${fallback.from} failed (${where}); flm planned with the local model ${fallback.to} instead.`;
  trace.plannerFallback = fallback;
  trace.warnings = [...(trace.warnings ?? []), { kind: "planner-fallback", message }];
  emit({ type: "warning", kind: "planner-fallback", message });
  await privacy?.noteFallback(fallback);
}

/** The run's scope: its egress records land in the trace; the caller is named in the audit log. */
function scopeOf(trace: RunTrace, run: RunOptions): RunScope {
  return { runId: trace.id, egress: trace.egress, userId: run.user?.id };
}
