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
import { FlmError } from "../errors/flm-error.js";
import { PlannerError } from "./plan-errors.js";
import { planJsonSchema } from "./plan-schema.js";
import type { Planner, PlannerReply, PlanRequest } from "./planner.js";
import { plannerMessages, plannerSystemPrompt } from "./planner-prompt.js";

export interface ModelPlannerOptions {
  model: LanguageModel;
  /** `json`: the model writes a plan (dependent steps possible). `tool-calls`: native parallel tool calling. */
  mode?: "json" | "tool-calls";
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
    name: `${location}:${modelId}${mode === "tool-calls" ? " (tool calls)" : ""}`,
    location,
    async plan(request: PlanRequest, { signal }): Promise<PlannerReply> {
      try {
        const common = {
          model: options.model,
          system: plannerSystemPrompt(request, mode, { compact: options.structuredOutput }),
          messages: plannerMessages(request),
          abortSignal: signal,
          // Retries are ours (repair loop, fallback planner); the SDK's would multiply cloud round trips.
          maxRetries: 0,
          temperature: options.temperature ?? 0,
          maxOutputTokens: options.maxOutputTokens ?? 2048,
          providerOptions: options.providerOptions,
        };
        if (mode === "tool-calls") {
          const tools: ToolSet = Object.fromEntries(
            request.tools.map((t) => [
              t.name,
              tool({ description: t.description, inputSchema: jsonSchema(t.inputSchema) }),
            ]),
          );
          const result = await generateText({ ...common, tools, toolChoice: "auto" });
          return {
            raw: {
              kind: "tool-calls",
              calls: result.toolCalls.map((c) => ({ toolName: c.toolName, input: c.input })),
            },
            usage: usageOf(result.usage),
          };
        }
        if (options.structuredOutput) {
          const schema = jsonSchema(planJsonSchema(request.tools, request.maxSteps));
          try {
            const result = await generateText({ ...common, output: Output.object({ schema }) });
            return { raw: { kind: "text", text: result.text }, usage: usageOf(result.usage) };
          } catch (error) {
            // Our own parser and validator explain what is wrong, and the repair loop asks again.
            if (NoObjectGeneratedError.isInstance(error)) {
              return { raw: { kind: "text", text: error.text ?? "" }, usage: usageOf(error.usage ?? {}) };
            }
            throw error;
          }
        }
        const result = await generateText(common);
        return { raw: { kind: "text", text: result.text }, usage: usageOf(result.usage) };
      } catch (error) {
        throw toPlannerError(error, signal);
      }
    },
  };
}

function usageOf(usage: { inputTokens?: number; outputTokens?: number }) {
  return { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
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
    return new PlannerError(`The planner model failed (${status}): ${error.message}`, {
      cause: error,
      hint:
        error.statusCode === 401
          ? "Check the planner's API key."
          : "Check the planner's base URL and that the service is up.",
    });
  }
  return new PlannerError(`The planner model failed: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
  });
}
