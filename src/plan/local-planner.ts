import type { LanguageModel } from "ai";
import { createModelPlanner } from "./model-planner.js";
import type { Planner } from "./planner.js";

export interface LocalPlannerOptions {
  model: LanguageModel;
  maxOutputTokens?: number;
}

/**
 * Plans with a local model when the cloud is unreachable, too slow, or policy says
 * `planner: local`. Output is decoded under the plan's JSON Schema, then goes through the same
 * validation and repair as a cloud plan. Nothing leaves the machine, so no egress guard applies.
 */
export function createLocalPlanner(options: LocalPlannerOptions): Planner {
  const inner = createModelPlanner({
    model: options.model,
    mode: "json",
    location: "local",
    structuredOutput: true,
    maxOutputTokens: options.maxOutputTokens ?? 512,
  });
  return {
    name: inner.name,
    location: "local",
    async plan(request, opts) {
      // Grammar-constrained output is not streamed: steps are renumbered once the reply is whole.
      const reply = await inner.plan(request, { signal: opts.signal });
      return {
        ...reply,
        raw: reply.raw.kind === "text" ? { kind: "text", text: renumber(reply.raw.text) } : reply.raw,
      };
    },
  };
}

/**
 * Small models repeat or skip ids; the schema has no references for them to keep consistent,
 * so numbering steps s1..sN is always safe.
 */
function renumber(text: string): string {
  try {
    const value = JSON.parse(text) as { steps?: Array<Record<string, unknown>> };
    if (!Array.isArray(value.steps)) return text;
    value.steps = value.steps.map((step, i) => ({ ...step, id: `s${i + 1}` }));
    return JSON.stringify(value);
  } catch {
    return text;
  }
}
