import { type ModelMessage, streamText, type ToolSet } from "ai";
import type { PlanStep } from "../core/plan.js";
import type { PlanFormat, RawPlannerOutput } from "./parse-plan.js";
import { createPlanStepReader } from "./plan-step-reader.js";
import type { PlannerUsage } from "./planner.js";

export interface StreamPlanReplyInput {
  call: Omit<Parameters<typeof streamText>[0], "prompt" | "messages" | "tools"> & {
    messages: ModelMessage[];
  };
  /** Native tool calls (tool-call mode), or undefined for a plan written as text. */
  tools?: ToolSet;
  /** The text format asked for (compact lines or JSON). */
  format: PlanFormat;
  /** Called with each step as soon as it is complete in the stream. */
  onStep: (step: PlanStep) => void;
}

/**
 * A planner call read as a stream: each step is handed to `onStep` as soon as it is complete
 * (a plan line's closing parenthesis, a JSON step's closing brace, a finished tool call), while
 * the rest of the plan is still being decoded. The whole reply comes back as usual, to be parsed
 * and validated like any other.
 */
export async function streamPlanReply(
  input: StreamPlanReplyInput,
): Promise<{ raw: RawPlannerOutput; usage: PlannerUsage }> {
  const result = streamText({
    ...input.call,
    ...(input.tools ? { tools: input.tools, toolChoice: "auto" as const } : {}),
    // Errors arrive as parts and are thrown below; the SDK's default handler would also log them.
    onError: () => {},
  });
  const reader = input.tools ? undefined : createPlanStepReader(input.format);
  const calls = new ToolCallSteps(input.onStep);
  let text = "";
  let usage: PlannerUsage = { inputTokens: 0, outputTokens: 0 };
  for await (const part of result.fullStream) {
    if (part.type === "text-delta") {
      text += part.text;
      for (const step of reader?.push(part.text) ?? []) input.onStep(step);
    } else if (part.type === "tool-input-start") {
      calls.start(part.id, part.toolName);
    } else if (part.type === "tool-input-delta") {
      calls.delta(part.id, part.delta);
    } else if (part.type === "tool-call") {
      calls.done(part.toolCallId, part.toolName, part.input, part.invalid === true);
    } else if (part.type === "error") {
      throw part.error;
    } else if (part.type === "abort") {
      input.call.abortSignal?.throwIfAborted();
      throw new Error("The planner stream was aborted.");
    } else if (part.type === "finish") {
      const cached = part.totalUsage.inputTokenDetails?.cacheReadTokens;
      usage = {
        inputTokens: part.totalUsage.inputTokens ?? 0,
        outputTokens: part.totalUsage.outputTokens ?? 0,
        ...(cached ? { cachedInputTokens: cached } : {}),
      };
    }
  }
  if (input.tools) return { raw: { kind: "tool-calls", calls: calls.all() }, usage };
  return {
    raw: input.format === "compact" ? { kind: "text", text, format: "compact" } : { kind: "text", text },
    usage,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

interface CallState {
  toolName: string;
  text: string;
  depth: number;
  quote: boolean;
  escaped: boolean;
  input?: unknown;
  reported: boolean;
}

/**
 * Native tool calls as steps s1..sN (in the order the calls began, as `parsePlan` numbers them).
 * A call is reported when the provider says it is complete, or earlier, as soon as its streamed
 * arguments close their JSON object (some providers announce finished calls only at the end).
 */
class ToolCallSteps {
  private readonly calls = new Map<string, CallState>();

  constructor(private readonly onStep: (step: PlanStep) => void) {}

  start(id: string, toolName: string): void {
    if (!this.calls.has(id))
      this.calls.set(id, { toolName, text: "", depth: 0, quote: false, escaped: false, reported: false });
  }

  delta(id: string, delta: string): void {
    const call = this.calls.get(id);
    if (!call || call.input !== undefined) return;
    for (const c of delta) {
      call.text += c;
      if (call.quote) {
        if (call.escaped) call.escaped = false;
        else if (c === "\\") call.escaped = true;
        else if (c === '"') call.quote = false;
      } else if (c === '"') call.quote = true;
      else if (c === "{" || c === "[") call.depth++;
      else if ((c === "}" || c === "]") && --call.depth === 0) {
        try {
          call.input = JSON.parse(call.text);
        } catch {
          return;
        }
        this.report(id, call);
      }
    }
  }

  done(id: string, toolName: string, input: unknown, invalid: boolean): void {
    this.start(id, toolName);
    const call = this.calls.get(id)!;
    call.input = input;
    if (!invalid) this.report(id, call);
  }

  all(): Array<{ toolName: string; input: unknown }> {
    return [...this.calls.values()].map((c) => ({ toolName: c.toolName, input: c.input ?? c.text }));
  }

  private report(id: string, call: CallState): void {
    if (call.reported || !isRecord(call.input)) return;
    call.reported = true;
    const index = [...this.calls.keys()].indexOf(id);
    this.onStep({ id: `s${index + 1}`, tool: call.toolName, args: call.input });
  }
}
