import type { StepOutcome } from "../core/step-outcome.js";
import { type BuiltContext, type ContextBudget, ContextLayout } from "./context-layout.js";
import { renderStep } from "./layout.js";
import type { TokenCounter } from "./token-counter.js";

export { type BuiltContext, type ContextBudget, leadingLinesWithin } from "./context-layout.js";

/**
 * Lays the step results out within the token budget, in plan order. A section that does not
 * fit is shortened line by line (tables keep their header and first rows); what is still left
 * out is named in the context, so the answer can say so. Nothing is dropped silently. Room for
 * the notes about failed steps is set aside first.
 */
export function buildContext(
  outcomes: StepOutcome[],
  budget: ContextBudget,
  counter: TokenCounter,
): BuiltContext {
  const reserveTokens = outcomes
    .filter((o) => o.status !== "ok")
    .reduce((n, o) => n + counter.count(renderStep(o)) + 1, 0);
  const layout = new ContextLayout(budget, counter, { overflow: "shorten", reserveTokens });
  for (const outcome of outcomes) layout.add(outcome);
  return layout.result();
}
