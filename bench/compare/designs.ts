/**
 * The three designs under comparison, each answering one question against the scripted models.
 * They share the tools, the models' wire protocol and the latency profile; only orchestration
 * (and what reaches the cloud) differs.
 */
import {
  generateText,
  jsonSchema,
  type LanguageModel,
  type ModelMessage,
  stepCountIs,
  streamText,
  tool,
} from "ai";
import { createAgent } from "../../src/agent/create-agent.js";
import { withPromptWarmUp } from "../../src/models/prompt-prefill.js";
import { createModelPlanner } from "../../src/plan/model-planner.js";
import type { PlannerMode } from "../../src/plan/planner-prompt.js";
import { createEgressTap } from "../../src/privacy/egress-tap.js";
import type { AgentPrivacy } from "../../src/core/privacy-hooks.js";
import { resolveModel } from "../../src/models/resolve-model.js";
import type { Tool } from "../../src/tools/tool.js";
import { DESIGN_HEADER, type DesignId, QUESTION_HEADER, VARIANT_HEADER } from "./scripted-models.js";
import type { WorkloadQuestion } from "./workload.js";

export interface DesignContext {
  cloudUrl: string;
  localUrl: string;
  tools: Tool[];
  /** federated-lm's firewall, and the fetch its cloud planner must use (egress tap + guard). */
  privacy?: { privacy: AgentPrivacy; plannerFetch: typeof fetch };
  /** federated-lm with some of its latency techniques off (`bench:compare --techniques`). */
  variant?: FederatedVariant;
}

/** The #14 latency techniques of federated-lm, each on in its default configuration. */
export interface FederatedTechniques {
  /** Steps start while the plan streams in. */
  streamPlan: boolean;
  /** The local server reads the answer prompt ahead (warm-up requests its prefix cache keeps). */
  prefill: boolean;
  /** The planner writes compact plan lines (else a JSON plan). */
  compactPlan: boolean;
  /** The planner prompt carries tool signatures (else full JSON Schemas). */
  signatures: boolean;
}

export interface FederatedVariant {
  name: string;
  label: string;
  techniques: FederatedTechniques;
}

const ALL_ON: FederatedTechniques = { streamPlan: true, prefill: true, compactPlan: true, signatures: true };
const off = (name: string, label: string, changes: Partial<FederatedTechniques>): FederatedVariant => ({
  name,
  label,
  techniques: { ...ALL_ON, ...changes },
});
/** One row per technique turned off, and all of them off (federated-lm before #14). */
export const FEDERATED_VARIANTS: FederatedVariant[] = [
  off("all-on", "all on (the default configuration)", {}),
  off("no-stream", "plan streaming off (steps start once the whole plan is in)", { streamPlan: false }),
  off("no-prefill", "prefill off (the local model reads the whole prompt at the end)", { prefill: false }),
  off("json-plan", "compact plan off (JSON plan)", { compactPlan: false }),
  off("schemas", "tool signatures off (full JSON Schemas in the planner prompt)", { signatures: false }),
  off("all-off", "all four off", {
    streamPlan: false,
    prefill: false,
    compactPlan: false,
    signatures: false,
  }),
];

export interface QuestionResult {
  id: string;
  latencyMs: number;
  /** From the start to the first streamed token of the answer. */
  firstTokenMs: number;
  answerChars: number;
  error?: string;
}

const ASSISTANT_SYSTEM =
  "You are the assistant of a music store. Use the tools to look up customers, invoices, employees and sales; call several tools at once when they do not depend on each other.";

function model(
  url: string,
  design: DesignId,
  q: WorkloadQuestion,
  fetch?: typeof globalThis.fetch,
  variant?: string,
): LanguageModel {
  return resolveModel(
    {
      provider: "openai",
      model: "scripted",
      baseURL: url,
      apiKey: "bench",
      headers: {
        [DESIGN_HEADER]: design,
        [QUESTION_HEADER]: q.id,
        ...(variant ? { [VARIANT_HEADER]: variant } : {}),
      },
    },
    { fetch },
  );
}

async function timed(
  q: WorkloadQuestion,
  body: (mark: () => void) => Promise<string>,
): Promise<QuestionResult> {
  const t0 = performance.now();
  let first = Number.NaN;
  const mark = () => {
    if (Number.isNaN(first)) first = performance.now() - t0;
  };
  try {
    const text = await body(mark);
    return { id: q.id, latencyMs: performance.now() - t0, firstTokenMs: first, answerChars: text.length };
  } catch (error) {
    return {
      id: q.id,
      latencyMs: performance.now() - t0,
      firstTokenMs: first,
      answerChars: 0,
      error: (error as Error)?.message ?? String(error),
    };
  }
}

/**
 * 1. federated-lm: one cloud planning call (pseudonymized), the DAG runs locally, the local model
 * answers. Configured as `flm` configures it by default (src/runtime/agent-parts.ts): compact plan
 * lines, tool signatures, plan streaming, and a local server generator wrapped for prefill.
 */
export function runFederated(q: WorkloadQuestion, ctx: DesignContext): Promise<QuestionResult> {
  const variant = ctx.variant;
  const t = variant?.techniques ?? ALL_ON;
  return timed(q, async (mark) => {
    const cloud = model(
      ctx.cloudUrl,
      "federated",
      q,
      ctx.privacy?.plannerFetch ?? createEgressTap(),
      variant?.name,
    );
    const local = model(ctx.localUrl, "federated", q, undefined, variant?.name);
    const mode: PlannerMode = t.compactPlan ? "compact" : "json";
    const agent = createAgent({
      planner: createModelPlanner({
        model: cloud,
        mode,
        toolDetail: t.signatures ? "signatures" : "schemas",
      }),
      generator:
        t.prefill && typeof local === "object" && local.specificationVersion === "v3"
          ? withPromptWarmUp(local)
          : local,
      tools: ctx.tools,
      privacy: ctx.privacy?.privacy,
      contextWindow: 8192,
      latency: { streamPlan: t.streamPlan, prefill: t.prefill },
    });
    let text = "";
    for await (const event of agent.stream(q.question)) {
      if (event.type === "text-delta") {
        mark();
        text += event.text;
      }
    }
    return text;
  });
}

async function runTool(
  tools: Map<string, Tool>,
  name: string,
  input: unknown,
  stepId: string,
): Promise<unknown> {
  const t = tools.get(name);
  if (!t) return { error: `unknown tool ${name}` };
  const { value, issues } = t.validate(input);
  if (issues.length) return { error: issues.map((i) => `${i.path}: ${i.message}`).join("; ") };
  return t.run(value, { signal: AbortSignal.timeout(30_000), stepId });
}

/**
 * 2. Sequential proof of concept: the cloud model returns tool calls, they run one after another,
 * results go back to the cloud until it asks for nothing more, then the local model answers.
 */
export function runSequential(q: WorkloadQuestion, ctx: DesignContext): Promise<QuestionResult> {
  return timed(q, async (mark) => {
    const tools = new Map(ctx.tools.map((t) => [t.name, t]));
    const schemas = Object.fromEntries(
      ctx.tools.map((t) => [
        t.name,
        tool({ description: t.description, inputSchema: jsonSchema(t.inputSchema) }),
      ]),
    );
    const cloud = model(ctx.cloudUrl, "sequential", q);
    const messages: ModelMessage[] = [{ role: "user", content: q.question }];
    const results: Array<{ tool: string; args: unknown; output: unknown }> = [];
    for (let round = 0; round < 8; round++) {
      const r = await generateText({
        model: cloud,
        system: ASSISTANT_SYSTEM,
        messages,
        tools: schemas,
        maxRetries: 0,
      });
      if (r.toolCalls.length === 0) break;
      messages.push(...r.response.messages);
      const parts = [];
      for (const call of r.toolCalls) {
        const output = await runTool(tools, call.toolName, call.input, call.toolCallId);
        results.push({ tool: call.toolName, args: call.input, output });
        parts.push({
          type: "tool-result" as const,
          toolCallId: call.toolCallId,
          toolName: call.toolName,
          output: { type: "json" as const, value: output as any },
        });
      }
      messages.push({ role: "tool", content: parts });
    }
    const context = results.map(
      (r, i) => `[s${i + 1}] ${r.tool}(${JSON.stringify(r.args)}):\n${JSON.stringify(r.output)}`,
    );
    const answer = streamText({
      model: model(ctx.localUrl, "sequential", q),
      system: "Answer the question using only the tool results. Cite them like [s1].",
      prompt: `Tool results:\n${context.join("\n\n")}\n\nQuestion: ${q.question}`,
      maxRetries: 0,
    });
    let text = "";
    for await (const delta of answer.textStream) {
      mark();
      text += delta;
    }
    return text;
  });
}

/** 3. Cloud ReAct agent: the cloud model calls tools in a loop, sees every result, and writes the answer. */
export function runReact(q: WorkloadQuestion, ctx: DesignContext): Promise<QuestionResult> {
  return timed(q, async (mark) => {
    const tools = new Map(ctx.tools.map((t) => [t.name, t]));
    const toolset = Object.fromEntries(
      ctx.tools.map((t) => [
        t.name,
        tool({
          description: t.description,
          inputSchema: jsonSchema(t.inputSchema),
          execute: (input, { toolCallId }) => runTool(tools, t.name, input, toolCallId) as Promise<any>,
        }),
      ]),
    );
    const result = streamText({
      model: model(ctx.cloudUrl, "react", q),
      system: ASSISTANT_SYSTEM,
      prompt: q.question,
      tools: toolset,
      stopWhen: stepCountIs(8),
      maxRetries: 0,
    });
    let text = "";
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") {
        mark();
        text += part.text;
      } else if (part.type === "error") {
        throw part.error;
      }
    }
    return text;
  });
}

export const DESIGNS: Record<DesignId, (q: WorkloadQuestion, ctx: DesignContext) => Promise<QuestionResult>> =
  {
    federated: runFederated,
    sequential: runSequential,
    react: runReact,
  };
