import { createHash } from "node:crypto";
import {
  APICallError,
  generateText,
  jsonSchema,
  type LanguageModel,
  NoObjectGeneratedError,
  Output,
  type ToolSet,
  tool,
} from "ai";
import { describeShapeProblem, jsonShapeProblem, PLAN_ARGS_BOUNDS } from "../core/json-shape.js";
import { FlmError } from "../errors/flm-error.js";
import { PlannerError } from "./plan-errors.js";
import type { RawPlannerOutput } from "./parse-plan.js";
import { planJsonSchema } from "./plan-schema.js";
import { withRateLimitRetry } from "./rate-limit-retry.js";
import type { PlanOptions, Planner, PlannerReply, PlannerUsage, PlanRequest } from "./planner.js";
import {
  type PlannerMode,
  type PlannerPromptOptions,
  plannerMessages,
  plannerSystemPrompt,
} from "./planner-prompt.js";
import { selectTools, type ToolSelectionOptions } from "./select-tools.js";
import { streamPlanReply } from "./stream-plan-reply.js";

export interface ModelPlannerOptions {
  model: LanguageModel;
  /**
   * Retries when the provider answers 429 (honouring Retry-After, within the planner timeout)
   * before failing with `PLANNER_RATE_LIMITED`. Default 3.
   */
  rateLimitRetries?: number;
  /**
   * `compact`: the model writes one `s1 = tool(arg=value)` line per step (fewest output tokens,
   * dependent steps possible). `json`: a JSON plan (same power, about twice the tokens).
   * `tool-calls`: native parallel tool calling (no dependent steps).
   */
  mode?: PlannerMode;
  /** How tools are described in JSON and compact mode (see planner-prompt.ts). Default `signatures`. */
  toolDetail?: PlannerPromptOptions["toolDetail"];
  /** Show only the most relevant tools when there are many (`false`: always all). */
  toolSelection?: ToolSelectionOptions | false;
  location?: "cloud" | "local";
  /** Extra options for the call (e.g. structured output for local servers). */
  providerOptions?: Parameters<typeof generateText>[0]["providerOptions"];
  temperature?: number;
  maxOutputTokens?: number;
  /**
   * Decode under the plan's JSON Schema (grammar, Ollama `format`, `response_format`), so the
   * reply always parses. For local models; cloud models follow the prompt well enough.
   */
  structuredOutput?: boolean;
}

/** A planner backed by any AI SDK language model. */
export function createModelPlanner(options: ModelPlannerOptions): Planner {
  const mode = options.mode ?? "json";
  const location = options.location ?? "cloud";
  const modelId =
    typeof options.model === "string" ? options.model : `${options.model.provider}/${options.model.modelId}`;
  return {
    name: `${location}:${modelId}${mode === "json" ? "" : ` (${mode === "tool-calls" ? "tool calls" : mode})`}`,
    location,
    async plan(fullRequest: PlanRequest, { signal, onStep, deadline }: PlanOptions): Promise<PlannerReply> {
      // A 429 is waited out (Retry-After) when the planner timeout leaves room, then typed. A
      // streamed reply is retried only while none of its steps has been reported yet.
      let stepsReported = false;
      const reportStep = onStep
        ? (step: Parameters<typeof onStep>[0]) => {
            stepsReported = true;
            onStep(step);
          }
        : undefined;
      const retrying = <T>(call: () => Promise<T>) =>
        withRateLimitRetry(call, {
          signal,
          deadline,
          retries: options.rateLimitRetries,
          canRetry: () => !stepsReported,
        });
      const shown = selectTools(fullRequest, location === "local" ? false : options.toolSelection);
      const request = shown === fullRequest.tools ? fullRequest : { ...fullRequest, tools: shown };
      const toolsShown = shown.length < fullRequest.tools.length ? shown.length : undefined;
      try {
        const system = plannerSystemPrompt(request, mode, {
          local: options.structuredOutput,
          toolDetail: options.toolDetail,
        });
        const common = {
          model: options.model,
          // The system prompt is the stable prefix: mark it for providers that cache on request.
          messages: [
            { role: "system" as const, content: system, providerOptions: CACHE_BREAKPOINT },
            ...plannerMessages(request),
          ],
          abortSignal: signal,
          // Retries are ours (repair loop, fallback planner); the SDK's would multiply cloud round trips.
          maxRetries: 0,
          temperature: options.temperature ?? 0,
          maxOutputTokens: options.maxOutputTokens ?? 2048,
          providerOptions: withCacheKey(options.providerOptions, system),
        };
        if (mode === "tool-calls") {
          const tools: ToolSet = Object.fromEntries(
            request.tools.map((t) => [
              t.name,
              tool({ description: t.description, inputSchema: jsonSchema(t.inputSchema) }),
            ]),
          );
          if (reportStep)
            return {
              ...(await retrying(() =>
                streamPlanReply({ call: common, tools, format: "json", onStep: reportStep }),
              )),
              toolsShown,
            };
          const result = await retrying(() => generateText({ ...common, tools, toolChoice: "auto" }));
          return {
            raw: {
              kind: "tool-calls",
              calls: result.toolCalls.map((c) => ({ toolName: c.toolName, input: boundedInput(c.input) })),
            },
            usage: usageOf(result.usage),
            toolsShown,
          };
        }
        if (options.structuredOutput) {
          const schema = jsonSchema(planJsonSchema(request.tools, request.maxSteps));
          try {
            const result = await retrying(() =>
              generateText({ ...common, output: Output.object({ schema }) }),
            );
            return { raw: { kind: "text", text: result.text }, usage: usageOf(result.usage), toolsShown };
          } catch (error) {
            // Our own parser and validator explain what is wrong, and the repair loop asks again.
            if (NoObjectGeneratedError.isInstance(error)) {
              return {
                raw: { kind: "text", text: error.text ?? "" },
                usage: usageOf(error.usage ?? {}),
                toolsShown,
              };
            }
            throw error;
          }
        }
        const format = mode === "compact" ? ("compact" as const) : undefined;
        if (reportStep)
          return {
            ...(await retrying(() =>
              streamPlanReply({ call: common, format: format ?? "json", onStep: reportStep }),
            )),
            toolsShown,
          };
        const result = await retrying(() => generateText(common));
        return {
          raw: format ? { kind: "text", text: result.text, format } : { kind: "text", text: result.text },
          usage: usageOf(result.usage),
          toolsShown,
        };
      } catch (error) {
        // The AI SDK copies a reply with structuredClone: arguments nested thousands of levels
        // deep overflow the stack there. That is a malformed plan (the repair loop says so), not
        // an unreachable planner.
        if (isStackOverflow(error)) return { raw: UNREADABLE_REPLY, usage: usageOf({}), toolsShown };
        throw toPlannerError(error, signal);
      }
    },
  };
}

const UNREADABLE_REPLY: RawPlannerOutput = {
  kind: "tool-calls",
  calls: [{ toolName: "(unreadable)", input: "(arguments nested too deeply to be read at all)" }],
};

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** Anthropic caches the prefix up to a marked block (tools and system); others ignore the mark. */
const CACHE_BREAKPOINT = { anthropic: { cacheControl: { type: "ephemeral" } } };

/**
 * OpenAI routes requests with the same `prompt_cache_key` to the same cache; a hash of the
 * system prompt (public text: instructions and tool list) groups the requests that share it.
 */
function withCacheKey(
  providerOptions: ModelPlannerOptions["providerOptions"],
  system: string,
): ModelPlannerOptions["providerOptions"] {
  const openai = (providerOptions?.openai ?? {}) as Record<string, unknown>;
  if (openai.promptCacheKey !== undefined) return providerOptions;
  const key = `flm-${createHash("sha256").update(system).digest("hex").slice(0, 16)}`;
  return {
    ...providerOptions,
    openai: { ...openai, promptCacheKey: key },
  } as ModelPlannerOptions["providerOptions"];
}

/**
 * A tool call's arguments as the model sent them, unless they exceed `PLAN_ARGS_BOUNDS`: then a
 * short string saying so (the plan parser refuses it as "not a JSON object"), so nothing later
 * stringifies or walks 5,000 levels of nesting.
 */
function boundedInput(input: unknown): unknown {
  const problem = jsonShapeProblem(input, PLAN_ARGS_BOUNDS);
  return problem ? `(arguments ${describeShapeProblem(problem)}: not kept)` : input;
}

function usageOf(usage: {
  inputTokens?: number;
  outputTokens?: number;
  inputTokenDetails?: { cacheReadTokens?: number };
}): PlannerUsage {
  const cached = usage.inputTokenDetails?.cacheReadTokens;
  return {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    ...(cached ? { cachedInputTokens: cached } : {}),
  };
}

function toPlannerError(error: unknown, signal: AbortSignal): FlmError {
  if (FlmError.isInstance(error)) return error; // e.g. the egress guard's EgressBlockedError
  const cause = (error as { cause?: unknown })?.cause;
  if (FlmError.isInstance(cause)) return cause;
  if (signal.aborted) {
    const reason = signal.reason;
    if (FlmError.isInstance(reason)) return reason;
    return new PlannerError("The planner call was cancelled.", { cause: error, code: "RUN_CANCELLED" });
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode ? `HTTP ${error.statusCode}` : "no response";
    const endpoint = error.url ? error.url.split("?")[0] : undefined;
    return new PlannerError(
      `The planner model${endpoint ? ` at ${endpoint}` : ""} failed (${status}): ${error.message}`,
      {
        cause: error,
        endpoint,
        status: error.statusCode,
        hint:
          error.statusCode === 401 || error.statusCode === 403
            ? "Check the planner's API key."
            : "Check the planner's base URL and that the service is up.",
      },
    );
  }
  return new PlannerError(`The planner model failed: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
  });
}
