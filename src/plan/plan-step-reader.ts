/**
 * Steps out of a planner's reply while it streams, in the format the planner was asked for. A
 * compact-mode reply that turns out to be JSON is read as JSON (as `parsePlan` does at the end).
 */
import { CompactPlanReader } from "./compact-plan.js";
import { JsonPlanReader } from "./json-plan-reader.js";
import type { PlanFormat } from "./parse-plan.js";
import type { PlanStep } from "../core/plan.js";

export interface PlanStepReader {
  /** The steps completed by this chunk of the reply, in order. */
  push(chunk: string): PlanStep[];
}

export function createPlanStepReader(format: PlanFormat): PlanStepReader {
  if (format === "json") return new JsonPlanReader();
  let inner: PlanStepReader | undefined;
  let head = "";
  return {
    push(chunk) {
      if (inner) return inner.push(chunk);
      head += chunk;
      // Decide on the first character that is not whitespace or part of a code fence line.
      const body = head.replace(/^\s*(?:```[^\n]*\n\s*)?/, "");
      if (!body || /^`{1,3}[^\n]*$/.test(body)) return [];
      inner = /^[[{]/.test(body) ? new JsonPlanReader() : new CompactPlanReader();
      return inner.push(head);
    },
  };
}
