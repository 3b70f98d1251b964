import { randomUUID } from "node:crypto";
import type { LanguageModel } from "ai";
import { buildContext, leadingLinesWithin } from "../context/build-context.js";
import { mapReduceResults, renderFacts } from "../context/map-reduce.js";
import { approximateTokenCounter, type TokenCounter } from "../context/token-counter.js";
import { FlmError } from "../errors/flm-error.js";
import { executePlan } from "../execute/scheduler.js";
import { RunCancelledError } from "../execute/step-errors.js";
import { createModelPlanner } from "../plan/model-planner.js";
import type { Plan } from "../plan/plan.js";
import { PlannerError, type PlanIssue, PlanValidationError } from "../plan/plan-errors.js";
import { parsePlan, type RawPlannerOutput } from "../plan/parse-plan.js";
import type { Planner, PlanRequest } from "../plan/planner.js";
import { plannerTemplateText } from "../plan/planner-prompt.js";
import { validatePlan } from "../plan/validate-plan.js";
import type { Caller } from "../tools/caller.js";
import type { Tool } from "../tools/tool.js";
import { isToolSource, type ToolSource } from "../tools/tool-source.js";
import { toolSpec } from "../tools/tool.js";
import { GeneratorError } from "./agent-errors.js";
import { answerMessages, answerSystemPrompt, type ChatTurn, extractCitations } from "./answer-prompt.js";
import { EventChannel } from "./event-channel.js";
import type { AgentEvent, StepOutcome } from "./events.js";
import type { AgentPrivacy, PrivacySession } from "./privacy-hooks.js";
import type { RunResult } from "./run-result.js";
import { currentRunScope, type RunScope, withPurpose, withRunScope } from "./run-scope.js";
import { AnswerAborted, streamAnswer } from "./stream-answer.js";
import type { RunTrace, StepTrace, TokenUsage } from "./trace.js";

export interface AgentLimits {
  /** Most steps a plan may have. */
  maxSteps: number;
  /** Repair rounds after an invalid plan before the run fails. */
  maxRepairs: number;
  /** Tool calls in flight at once. */
  concurrency: number;
  stepTimeoutMs: number;
  plannerTimeoutMs: number;
  answerTimeoutMs: number;
  /** Results larger than this many JSON characters are cut with a visible marker. */
  maxResultChars: number;
}

export const DEFAULT_LIMITS: AgentLimits = {
  maxSteps: 20,
  maxRepairs: 2,
  concurrency: 8,
  stepTimeoutMs: 30_000,
  plannerTimeoutMs: 60_000,
  answerTimeoutMs: 120_000,
  maxResultChars: 50_000,
};

export interface AgentOptions {
  /** The cloud model (or any Planner). It sees the pseudonymized prompt and tool schemas only. */
  planner: LanguageModel | Planner;
  /** Used when the planner is unreachable or times out (typically a local model). */
  fallbackPlanner?: Planner;
  /** How a LanguageModel planner answers: a JSON plan (dependent steps) or native tool calls. */
  plannerMode?: "json" | "tool-calls";
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
}

export interface RunOptions {
  signal?: AbortSignal;
  /** The caller; flows into every tool call. */
  user?: Caller;
  /** Earlier turns. Only user turns go to the planner (pseudonymized); answers stay local. */
  history?: ChatTurn[];
  /** Privacy state kept across the turns of one conversation (stable placeholders). */
  session?: PrivacySession;
  runId?: string;
}

export interface Agent {
  run(prompt: string, options?: RunOptions): Promise<RunResult>;
  stream(prompt: string, options?: RunOptions): AsyncIterable<AgentEvent>;
  /** Plans without running anything: what would be sent to the cloud and what comes back. */
  plan(prompt: string, options?: RunOptions): Promise<{ plan: Plan; trace: RunTrace }>;
  /** Every tool the agent can call (sources are opened on first use). */
  tools(): Promise<Tool[]>;
  /** Starts a conversation whose placeholders stay stable across turns. */
  createSession(): PrivacySession | undefined;
  close(): Promise<void>;
}

function isPlanner(value: LanguageModel | Planner): value is Planner {
  return typeof value === "object" && value !== null && typeof (value as Planner).plan === "function";
}

export function createAgent(options: AgentOptions): Agent {
  const limits: AgentLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const planner = isPlanner(options.planner)
    ? options.planner
    : createModelPlanner({ model: options.planner, mode: options.plannerMode ?? "json" });
  const counter = options.tokenCounter ?? approximateTokenCounter;
  const contextWindow = options.contextWindow ?? 8192;
  const answerReserve = options.answerReserve ?? Math.min(1024, Math.floor(contextWindow / 4));
  const sources = options.tools.filter(isToolSource);
  let toolMap: Promise<Map<string, Tool>> | undefined;

  const loadTools = () => {
    toolMap ??= (async () => {
      const map = new Map<string, Tool>();
      const all = [...options.tools.filter((t): t is Tool => !isToolSource(t))];
      for (const source of sources) all.push(...(await source.tools()));
      for (const tool of all) {
        if (map.has(tool.name)) {
          throw new FlmError("TOOL_NAME_CONFLICT", `Two tools are named "${tool.name}".`, {
            hint: "Give one source a prefix or rename the declared query.",
          });
        }
        map.set(tool.name, tool);
      }
      return map;
    })();
    toolMap.catch(() => {
      toolMap = undefined; // let a later run retry a source that was down
    });
    return toolMap;
  };

  async function planWithRepairs(
    request: PlanRequest,
    tools: Map<string, Tool>,
    trace: RunTrace,
    session: PrivacySession | undefined,
    signal: AbortSignal,
    emit: (e: AgentEvent) => void,
  ): Promise<Plan> {
    let active = planner;
    let issues: PlanIssue[] = [];
    for (let attempt = 0; attempt <= limits.maxRepairs; attempt++) {
      const reply = await callPlanner(active, request, attempt === 0 ? "plan" : "repair", signal).catch(
        async (error) => {
          // Fall back to the local planner when the cloud is unreachable; never on a privacy block.
          if (
            options.fallbackPlanner &&
            active !== options.fallbackPlanner &&
            isUnreachable(error) &&
            !signal.aborted
          ) {
            active = options.fallbackPlanner;
            return callPlanner(active, request, attempt === 0 ? "plan" : "repair", signal);
          }
          throw error;
        },
      );
      trace.planner = active.name;
      // The planner's own reply came from the cloud: echoing it in a repair request leaks nothing.
      if (session) options.privacy?.markPublic?.([rawText(reply.raw)], session);
      const usage = active.location === "cloud" ? trace.usage.cloud : trace.usage.local;
      addUsage(usage, reply.usage);
      const parsed = parsePlan(reply.raw);
      issues = parsed.plan
        ? validatePlan(parsed.plan, tools, {
            maxSteps: limits.maxSteps,
            checkString:
              session && options.privacy ? (v) => options.privacy!.checkPlanString(v, session) : undefined,
          })
        : parsed.issues;
      if (parsed.plan && issues.length === 0) {
        trace.repairs = attempt;
        return parsed.plan;
      }
      if (attempt < limits.maxRepairs) {
        emit({ type: "repair", attempt: attempt + 1, errors: issues.map((i) => i.message) });
        request = { ...request, repair: { previous: reply.raw, issues } };
      }
    }
    trace.repairs = limits.maxRepairs;
    throw new PlanValidationError(issues, limits.maxRepairs + 1);
  }

  async function callPlanner(active: Planner, request: PlanRequest, purpose: string, signal: AbortSignal) {
    const timeout = AbortSignal.timeout(limits.plannerTimeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    try {
      return await withPurpose(purpose, () => active.plan(request, { signal: combined }));
    } catch (error) {
      if (timeout.aborted && !signal.aborted) {
        throw new PlannerError(`The planner did not answer within ${limits.plannerTimeoutMs} ms.`, {
          code: "PLANNER_TIMEOUT",
          cause: error,
          hint: "Check the planner endpoint, raise plannerTimeoutMs, or configure a local fallback planner.",
        });
      }
      if (signal.aborted) throw new RunCancelledError(signal.reason);
      throw error;
    }
  }

  async function prepare(
    prompt: string,
    runOptions: RunOptions,
    trace: RunTrace,
    signal: AbortSignal,
    emit: (e: AgentEvent) => void,
  ) {
    if (typeof prompt !== "string" || !prompt.trim()) {
      throw new FlmError("PROMPT_EMPTY", "The prompt is empty.", {
        hint: "Pass the question as a non-empty string.",
      });
    }
    const tools = await loadTools();
    await options.privacy?.ready?.();
    const session = runOptions.session ?? options.privacy?.createSession();
    const specs = [...tools.values()].map(toolSpec);
    if (session) options.privacy?.bind?.(session, specs);
    if (runOptions.user) currentRunScope()?.data.set("user.id", runOptions.user.id);
    let t = performance.now();
    const userTurns = (runOptions.history ?? []).filter((h) => h.role === "user").map((h) => h.content);
    const pseudo =
      session && options.privacy ? options.privacy.pseudonymize([...userTurns, prompt], session) : undefined;
    trace.stages.pseudonymize = performance.now() - t;
    const request: PlanRequest = {
      prompt: pseudo ? pseudo.at(-1)! : prompt,
      history: pseudo ? pseudo.slice(0, -1) : userTurns,
      tools: specs,
      date: (options.now?.() ?? new Date()).toISOString().slice(0, 10),
      maxSteps: limits.maxSteps,
    };
    if (session) options.privacy?.markPublic?.(plannerTemplateText(request), session);
    t = performance.now();
    const plan = await planWithRepairs(request, tools, trace, session, signal, emit);
    trace.stages.plan = performance.now() - t;
    trace.plan = plan;
    emit({ type: "plan", plan, planner: trace.planner, repairs: trace.repairs });
    return { tools, session, plan };
  }

  function newTrace(runId: string): RunTrace {
    return {
      id: runId,
      startedAt: new Date().toISOString(),
      planner: planner.name,
      repairs: 0,
      steps: [],
      usage: { cloud: { inputTokens: 0, outputTokens: 0 }, local: { inputTokens: 0, outputTokens: 0 } },
      egress: [],
      stages: {},
    };
  }

  async function execute(
    prompt: string,
    runOptions: RunOptions,
    emit: (e: AgentEvent) => void,
    signal: AbortSignal,
  ): Promise<RunResult> {
    const t0 = performance.now();
    const runId = runOptions.runId ?? randomUUID();
    const trace = newTrace(runId);
    const scope: RunScope = { runId, purpose: "plan", egress: trace.egress, data: new Map() };
    return withRunScope(scope, async () => {
      const { tools, session, plan } = await prepare(prompt, runOptions, trace, signal, emit);

      let t = performance.now();
      const outcomes = await executePlan(plan, {
        tools,
        concurrency: limits.concurrency,
        stepTimeoutMs: limits.stepTimeoutMs,
        maxResultChars: limits.maxResultChars,
        signal,
        caller: runOptions.user,
        prepareArgs:
          session && options.privacy ? (args) => options.privacy!.restore(args, session) : undefined,
        onStart: (step) => emit({ type: "tool-start", step }),
        onEnd: (outcome) => {
          // Error messages of failed steps carry data too (a database's "key (email)=(…)").
          if (session && options.privacy)
            options.privacy.taint(
              outcome.step.id,
              outcome.status === "ok" ? outcome.output : outcome.error?.message,
              session,
            );
          emit({ type: "tool-end", outcome });
        },
      });
      trace.stages.execute = performance.now() - t;
      trace.steps = outcomes.map(stepTrace);
      if (signal.aborted) throw new RunCancelledError(signal.reason);

      t = performance.now();
      const history = runOptions.history ?? [];
      const fixed =
        counter.count(answerSystemPrompt(outcomes, [])) +
        counter.count(prompt) +
        history.reduce((n, h) => n + counter.count(h.content), 0) +
        32;
      const budget = { contextWindow, answerReserve, fixedTokens: fixed };
      let context = buildContext(outcomes, budget, counter);
      let contextText = context.text;
      let strategy: "direct" | "map-reduce" = "direct";
      let dropped = context.droppedSteps;
      if (context.overflow.length > 0 && options.mapReduce?.enabled !== false) {
        // Show what fits as it is; extract facts from the rest so nothing is cut silently.
        strategy = "map-reduce";
        const large = new Set<string>();
        while (context.overflow.length > 0) {
          for (const o of context.overflow) large.add(o.step.id);
          context = buildContext(
            outcomes.filter((o) => !large.has(o.step.id)),
            budget,
            counter,
          );
        }
        const reduced = await mapReduceResults({
          model: options.generator,
          question: prompt,
          outcomes: outcomes.filter((o) => large.has(o.step.id)),
          chunkTokens: Math.max(64, contextWindow - answerReserve - counter.count(prompt) - 160),
          counter,
          signal,
          parallel: options.mapReduce?.parallel ?? 1,
          maxOutputTokens: answerReserve,
        }).catch((error) => {
          throw localModelError(error, signal, "while reading large results");
        });
        addUsage(trace.usage.local, reduced.usage);
        const facts = fitLines(
          renderFacts(reduced.facts, reduced.failedChunks),
          context.budget - context.tokens - 16,
          counter,
        );
        contextText = [context.text, `Facts extracted from results too large to show in full:\n${facts}`]
          .filter(Boolean)
          .join("\n\n");
        dropped = [];
        trace.context = {
          includedSteps: [...context.includedSteps, ...large],
          droppedSteps: [],
          tokens: counter.count(contextText),
          budget: context.budget,
          strategy,
          chunks: reduced.chunks,
          failedChunks: reduced.failedChunks.length,
        };
      } else {
        trace.context = {
          includedSteps: context.includedSteps,
          droppedSteps: dropped,
          tokens: context.tokens,
          budget: context.budget,
          strategy,
        };
      }
      trace.stages.context = performance.now() - t;
      emit({
        type: "context",
        includedSteps: trace.context.includedSteps,
        droppedSteps: dropped,
        tokens: trace.context.tokens,
        strategy,
      });

      t = performance.now();
      const text = await answer(
        { system: answerSystemPrompt(outcomes, dropped), prompt, context: contextText, history },
        trace.usage.local,
        signal,
        emit,
      );
      trace.stages.answer = performance.now() - t;
      trace.stages.total = performance.now() - t0;
      return {
        text,
        citations: extractCitations(
          text,
          outcomes.filter((o) => o.status === "ok").map((o) => o.step.id),
        ),
        steps: outcomes,
        trace,
      };
    });
  }

  async function answer(
    input: { system: string; prompt: string; context: string; history: ChatTurn[] },
    usage: TokenUsage,
    signal: AbortSignal,
    emit: (e: AgentEvent) => void,
  ): Promise<string> {
    const timeout = AbortSignal.timeout(limits.answerTimeoutMs);
    let text = "";
    try {
      const out = await streamAnswer({
        model: options.generator,
        system: input.system,
        messages: answerMessages(input.prompt, input.context, input.history),
        abortSignal: AbortSignal.any([signal, timeout]),
        onDelta: (delta) => {
          text += delta;
          emit({ type: "text-delta", text: delta });
        },
      });
      addUsage(usage, { inputTokens: out.inputTokens, outputTokens: out.outputTokens });
      return out.text;
    } catch (error) {
      if (error instanceof AnswerAborted)
        throw signal.aborted
          ? new RunCancelledError(signal.reason)
          : new GeneratorError(`The local model did not finish within ${limits.answerTimeoutMs} ms.`);
      throw localModelError(error, signal, text ? "mid-answer" : "");
    }
  }

  function stream(prompt: string, runOptions: RunOptions = {}): AsyncIterable<AgentEvent> {
    return {
      [Symbol.asyncIterator]() {
        const channel = new EventChannel<AgentEvent>();
        const controller = new AbortController();
        const signal = runOptions.signal
          ? AbortSignal.any([runOptions.signal, controller.signal])
          : controller.signal;
        let finished = false;
        execute(prompt, runOptions, (e) => channel.push(e), signal).then(
          (result) => {
            finished = true;
            channel.push({ type: "done", result });
            channel.close();
          },
          (error) => {
            finished = true;
            channel.fail(error);
          },
        );
        const inner = channel[Symbol.asyncIterator]();
        return {
          next: () => inner.next(),
          async return(value?: unknown) {
            // The consumer stopped reading (client gone): cancel the run and its tools.
            if (!finished) controller.abort(new RunCancelledError("the consumer stopped reading"));
            await inner.return?.(value);
            return { done: true, value: undefined };
          },
        };
      },
    };
  }

  return {
    stream,
    async run(prompt, runOptions) {
      for await (const event of stream(prompt, runOptions)) if (event.type === "done") return event.result;
      throw new FlmError("RUN_INCOMPLETE", "The run ended without a result.");
    },
    async plan(prompt, runOptions = {}) {
      const runId = runOptions.runId ?? randomUUID();
      const trace = newTrace(runId);
      const scope: RunScope = { runId, purpose: "plan", egress: trace.egress, data: new Map() };
      const signal = runOptions.signal ?? new AbortController().signal;
      const { plan } = await withRunScope(scope, () => prepare(prompt, runOptions, trace, signal, () => {}));
      return { plan, trace };
    },
    tools: async () => [...(await loadTools()).values()],
    createSession: () => options.privacy?.createSession(),
    async close() {
      await Promise.allSettled(sources.map((s) => s.close()));
    },
  };
}

/** Keeps whole lines while they fit, and says how many did not. */
function fitLines(text: string, budget: number, counter: TokenCounter): string {
  if (counter.count(text) <= budget) return text;
  const lines = text.split("\n");
  const { kept } = leadingLinesWithin(lines, budget, counter, 20);
  return `${lines.slice(0, kept).join("\n")}\n… ${lines.length - kept} more facts not shown: they did not fit the local model's context.`;
}

/** Typed errors pass through; a cancelled run says so; anything else is the local model failing. */
function localModelError(error: unknown, signal: AbortSignal, when: string): FlmError {
  if (FlmError.isInstance(error)) return error;
  if (signal.aborted) return new RunCancelledError(signal.reason);
  return new GeneratorError(
    `The local model failed${when ? ` ${when}` : ""}: ${(error as Error)?.message ?? String(error)}`,
    {
      cause: error,
      hint: "Check that the local model server is running and the model is loaded.",
    },
  );
}

function rawText(raw: RawPlannerOutput): string {
  return raw.kind === "text" ? raw.text : JSON.stringify(raw.calls);
}

function addUsage(into: TokenUsage, add: TokenUsage): void {
  into.inputTokens += add.inputTokens;
  into.outputTokens += add.outputTokens;
}

function isUnreachable(error: unknown): boolean {
  return FlmError.isInstance(error) && (error.code === "PLANNER_FAILED" || error.code === "PLANNER_TIMEOUT");
}

function stepTrace(o: StepOutcome): StepTrace {
  return {
    id: o.step.id,
    tool: o.step.tool,
    args: o.step.args,
    status: o.status,
    durationMs: Math.round(o.durationMs * 100) / 100,
    startedAtMs: o.startedAt,
    error: o.error,
    truncated: o.truncated,
  };
}
