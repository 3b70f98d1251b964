import type { SchemaIssue } from "../tools/json-schema.js";
import type { Tool } from "../tools/tool.js";
import { collectRefs, dependenciesOf, type Plan, type PlanStep } from "../core/plan.js";
import type { PlanIssue } from "./plan-errors.js";
import { parseRefPath } from "../core/ref-path.js";

export interface ValidatePlanOptions {
  maxSteps: number;
  /** Extra check on every string argument, e.g. placeholders the vault does not know. */
  checkString?: (value: string) => string | undefined;
}

const STEP_ID = /^[A-Za-z][\w-]{0,31}$/;

/**
 * Checks a plan against the tools before anything runs. Returns every issue found (not just
 * the first), so one repair round can fix them all.
 */
export function validatePlan(
  plan: Plan,
  tools: ReadonlyMap<string, Tool>,
  options: ValidatePlanOptions,
): PlanIssue[] {
  const issues: PlanIssue[] = [];
  if (plan.steps.length > options.maxSteps) {
    issues.push({
      kind: "too-many-steps",
      message: `the plan has ${plan.steps.length} steps but at most ${options.maxSteps} are allowed; combine lookups or drop unneeded ones`,
    });
  }
  const ids = new Set<string>();
  for (const step of plan.steps) {
    if (!STEP_ID.test(step.id)) {
      issues.push({
        kind: "malformed",
        stepId: step.id,
        message: `step id "${step.id}" must be short and alphanumeric, like "s1"`,
      });
    }
    if (ids.has(step.id))
      issues.push({ kind: "duplicate-id", stepId: step.id, message: `step id "${step.id}" is used twice` });
    ids.add(step.id);
  }
  for (const step of plan.steps) {
    const tool = tools.get(step.tool);
    if (!tool) {
      const known = [...tools.keys()].slice(0, 50).join(", ");
      issues.push({
        kind: "unknown-tool",
        stepId: step.id,
        message: `step ${step.id} calls unknown tool "${step.tool}" (available: ${known})`,
      });
    }
    for (const { ref, at } of collectRefs(step.args)) {
      if (!ids.has(ref.$ref)) {
        issues.push({
          kind: "missing-ref",
          stepId: step.id,
          message: `step ${step.id} argument ${at} refers to step "${ref.$ref}", which does not exist`,
        });
      } else if (ref.$ref === step.id) {
        issues.push({ kind: "cycle", stepId: step.id, message: `step ${step.id} refers to its own output` });
      }
      if (ref.path !== undefined && (typeof ref.path !== "string" || !parseRefPath(ref.path))) {
        issues.push({
          kind: "bad-path",
          stepId: step.id,
          message: `step ${step.id} argument ${at} has an unreadable path "${String(ref.path)}"; use forms like rows[0].id or items[*].id`,
        });
      }
    }
    if (options.checkString) {
      for (const { value, at } of strings(step.args)) {
        const problem = options.checkString(value);
        if (problem)
          issues.push({
            kind: "unknown-placeholder",
            stepId: step.id,
            message: `step ${step.id} argument ${at}: ${problem}`,
          });
      }
    }
    if (tool) {
      for (const issue of argumentIssues(step, tool)) {
        issues.push({
          kind: "invalid-args",
          stepId: step.id,
          message: `step ${step.id} (${step.tool}) argument ${issue.path}: ${issue.message}`,
        });
      }
    }
  }
  const cycle = findCycle(plan.steps, ids);
  if (cycle)
    issues.push({ kind: "cycle", message: `steps ${cycle.join(" -> ")} depend on each other in a cycle` });
  return issues;
}

/**
 * Schema check with references treated as wildcards: a reference's value is unknown until
 * run time, so only the literal parts of the arguments can be checked now.
 */
function argumentIssues(step: PlanStep, tool: Tool): SchemaIssue[] {
  const refs = collectRefs(step.args);
  if (refs.length === 0) return tool.validate(step.args).issues;
  const refAt = refs.map((r) => r.at);
  const withoutRefs = replaceRefs(step.args);
  return tool
    .validate(withoutRefs)
    .issues.filter((issue) => !refAt.some((at) => issue.path === at || issue.path.startsWith(`${at}/`)));
}

function replaceRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(replaceRefs);
  if (typeof value === "object" && value !== null) {
    if (typeof (value as Record<string, unknown>).$ref === "string") return null;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceRefs(v)]));
  }
  return value;
}

function* strings(value: unknown, at = ""): Generator<{ value: string; at: string }> {
  if (typeof value === "string") yield { value, at: at || "/" };
  else if (Array.isArray(value))
    for (let i = 0; i < value.length; i++) yield* strings(value[i], `${at}/${i}`);
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) if (k !== "$ref") yield* strings(v, `${at}/${k}`);
  }
}

function findCycle(steps: PlanStep[], ids: Set<string>): string[] | undefined {
  const deps = new Map(steps.map((s) => [s.id, dependenciesOf(s).filter((d) => ids.has(d) && d !== s.id)]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const step of steps) {
    const found = visit(step.id);
    if (found) return found;
  }
  return undefined;
}
