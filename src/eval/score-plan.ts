/**
 * Plan correctness: the planner's calls against the suite's expected ones. Each expected call is
 * matched to one planned step of the same tool (the one whose arguments match, if any); then tool
 * recall and precision, arguments (values as resolved locally; `$ref` = refers to the matched
 * step) and the dependency shape (each expected reference is a reference in the plan).
 */
import { collectRefs, type PlanStep } from "../core/plan.js";
import type { StepOutcome } from "../core/step-outcome.js";
import { type ExpectedCall, refTargets } from "./eval-suite-schema.js";
import { argMatches } from "./match-values.js";

export interface PlanScore {
  /** Expected calls the plan makes (by tool), 0–1. */
  toolRecall: number;
  /** Planned calls that were expected, 0–1. */
  toolPrecision: number;
  /** Expected calls made with the expected arguments, 0–1. */
  args: number;
  /** Expected dependencies (`$ref`) the plan has, 0–1 (1 when none are expected). */
  shape: number;
  /** Mean of tool F1, arguments and shape, 0–1. */
  score: number;
  /** Everything as expected, nothing more. */
  correct: boolean;
  /** What was wrong, for the report. */
  problems: string[];
}

export function scorePlan(expected: ExpectedCall[], planned: PlanStep[], outcomes: StepOutcome[]): PlanScore {
  const resolved = new Map(outcomes.map((o) => [o.step.id, o.args ?? o.step.args]));
  const matched = new Map<number, PlanStep>();
  const byExpectedId = new Map<string, PlanStep>();
  const taken = new Set<string>();
  const argsOk = new Set<number>();
  const problems: string[] = [];
  for (const i of dependencyOrder(expected)) {
    const call = expected[i]!;
    const candidates = planned.filter((p) => p.tool === call.tool && !taken.has(p.id));
    const fits = (p: PlanStep) => argsFit(call, p, resolved.get(p.id) ?? p.args, byExpectedId);
    const pick = candidates.find(fits) ?? candidates[0];
    if (!pick) {
      problems.push(`missing ${call.tool}`);
      continue;
    }
    taken.add(pick.id);
    matched.set(i, pick);
    if (call.id) byExpectedId.set(call.id, pick);
    if (fits(pick)) argsOk.add(i);
    else
      problems.push(
        `${call.tool}: arguments ${JSON.stringify(pick.args)} ≠ ${JSON.stringify(call.args ?? {})}`,
      );
  }
  for (const p of planned) if (!taken.has(p.id)) problems.push(`unexpected ${p.tool}`);

  let edges = 0;
  let kept = 0;
  for (const [i, call] of expected.entries()) {
    for (const target of new Set(refTargets(call.args))) {
      edges++;
      const from = matched.get(i);
      const to = byExpectedId.get(target);
      if (from && to && collectRefs(from.args).some((r) => r.ref.$ref === to.id)) kept++;
      else problems.push(`${call.tool} should use the result of ${target}`);
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  const toolRecall = ratio(matched.size, expected.length);
  const toolPrecision = ratio(taken.size, planned.length);
  const f1 =
    toolRecall + toolPrecision === 0 ? 0 : (2 * toolRecall * toolPrecision) / (toolRecall + toolPrecision);
  const args = ratio(argsOk.size, expected.length);
  const shape = ratio(kept, edges);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    toolRecall: round(toolRecall),
    toolPrecision: round(toolPrecision),
    args: round(args),
    shape: round(shape),
    score: round((f1 + args + shape) / 3),
    correct: problems.length === 0,
    problems,
  };
}

/** Expected arguments against a planned step: `$ref` by the step it names, values as resolved. */
function argsFit(
  call: ExpectedCall,
  step: PlanStep,
  resolvedArgs: Record<string, unknown>,
  byExpectedId: Map<string, PlanStep>,
): boolean {
  return Object.entries(call.args ?? {}).every(([key, want]) => {
    const targets = refTargets(want);
    if (targets.length) {
      return targets.every((t) => {
        const to = byExpectedId.get(t);
        return to !== undefined && collectRefs(step.args[key]).some((r) => r.ref.$ref === to.id);
      });
    }
    return argMatches(want, resolvedArgs[key]);
  });
}

/** Calls without references first, so a `$ref` is matched after the call it names. */
function dependencyOrder(expected: ExpectedCall[]): number[] {
  const order: number[] = [];
  const done = new Set<string>();
  const pending = expected.map((_, i) => i);
  while (pending.length) {
    const ready = pending.filter((i) => refTargets(expected[i]!.args).every((t) => done.has(t)));
    const next = ready.length ? ready : [pending[0]!]; // a cycle: the suite schema refuses unknown refs only
    for (const i of next) {
      order.push(i);
      pending.splice(pending.indexOf(i), 1);
      const id = expected[i]!.id;
      if (id) done.add(id);
    }
  }
  return order;
}
