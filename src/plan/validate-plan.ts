import type { SchemaIssue } from "../tools/json-schema.js";
import type { Tool } from "../tools/tool.js";
import { collectRefs, dependenciesOf, type Plan, type PlanStep } from "../core/plan.js";
import { describeShapeProblem, jsonShapeProblem, PLAN_ARGS_BOUNDS } from "../core/json-shape.js";
import type { PlanIssue } from "./plan-errors.js";
import { parseRefPath } from "../core/ref-path.js";

export interface ValidatePlanOptions {
  maxSteps: number;
  /** Extra check on every string argument, e.g. placeholders the vault does not know. */
  checkString?: (value: string) => string | undefined;
}

const STEP_ID = /^[A-Za-z][\w-]{0,31}$/;
/** Issues reported per plan; the rest are summed up in one line (a repair round needs a few, not 10,000). */
export const MAX_PLAN_ISSUES = 20;

/**
 * Checks a plan against the tools before anything runs. Returns the issues found (all of them up
 * to `MAX_PLAN_ISSUES`, then one line saying how many more), so one repair round can fix them.
 * Bounded whatever the plan: a plan with more than `maxSteps` steps has only its first `maxSteps`
 * checked in detail, arguments deeper or larger than `PLAN_ARGS_BOUNDS` are refused before any
 * walk, and text copied from the plan into messages is clipped.
 */
export function validatePlan(
  plan: Plan,
  tools: ReadonlyMap<string, Tool>,
  options: ValidatePlanOptions,
): PlanIssue[] {
  const issues = new IssueList();
  if (plan.steps.length > options.maxSteps) {
    issues.push({
      kind: "too-many-steps",
      message: `the plan has ${plan.steps.length} steps but at most ${options.maxSteps} are allowed; combine lookups or drop unneeded ones`,
    });
  }
  const steps = plan.steps.slice(0, options.maxSteps);
  const ids = new Set<string>(plan.steps.map((s) => s.id));
  checkIds(steps, issues);
  const counter = { nodes: 0 };
  let toolsListed = false;
  for (const step of steps) {
    const id = clip(step.id);
    const shape = jsonShapeProblem(step.args, PLAN_ARGS_BOUNDS, counter);
    if (shape) {
      issues.push({
        kind: "malformed",
        stepId: id,
        message: `step ${id} has arguments ${describeShapeProblem(shape)}`,
      });
      if (shape.kind === "nodes") break; // the budget is shared: every later step is over it too
      continue; // nothing walks arguments that are too deep
    }
    const tool = tools.get(step.tool);
    if (!tool) {
      // The list of tools once: repeated per step it would make a repair request huge.
      const known = toolsListed ? "" : ` (available: ${[...tools.keys()].slice(0, 50).join(", ")})`;
      toolsListed = true;
      issues.push({
        kind: "unknown-tool",
        stepId: id,
        message: `step ${id} calls unknown tool "${clip(step.tool)}"${known}`,
      });
    }
    checkRefs(step, id, ids, issues);
    if (options.checkString) {
      for (const { value, at } of strings(step.args)) {
        const problem = options.checkString(value);
        if (problem)
          issues.push({
            kind: "unknown-placeholder",
            stepId: id,
            message: `step ${id} argument ${clip(at)}: ${clip(problem, 300)}`,
          });
      }
    }
    if (tool) {
      for (const issue of argumentIssues(step, tool)) {
        issues.push({
          kind: "invalid-args",
          stepId: id,
          message: `step ${id} (${step.tool}) argument ${clip(issue.path)}: ${clip(issue.message, 300)}`,
        });
      }
    }
  }
  const cycle = findCycle(steps, ids);
  if (cycle)
    issues.push({
      kind: "cycle",
      message: `steps ${cycle.map((c) => clip(c)).join(" -> ")} depend on each other in a cycle`,
    });
  return issues.done();
}

/** Step ids: short, alphanumeric, each used once. */
function checkIds(steps: readonly PlanStep[], issues: IssueList): void {
  const seen = new Set<string>();
  for (const step of steps) {
    if (typeof step.id !== "string" || !STEP_ID.test(step.id)) {
      issues.push({
        kind: "malformed",
        stepId: clip(step.id),
        message: `step id "${clip(step.id)}" must be short and alphanumeric, like "s1"`,
      });
    }
    if (seen.has(step.id))
      issues.push({ kind: "duplicate-id", stepId: step.id, message: `step id "${step.id}" is used twice` });
    seen.add(step.id);
  }
}

/** A step's references: to a step that exists, not to itself, with a readable path. */
function checkRefs(step: PlanStep, id: string, ids: ReadonlySet<string>, issues: IssueList): void {
  for (const { ref, at } of collectRefs(step.args)) {
    if (!ids.has(ref.$ref)) {
      issues.push({
        kind: "missing-ref",
        stepId: id,
        message: `step ${id} argument ${clip(at)} refers to step "${clip(ref.$ref)}", which does not exist`,
      });
    } else if (ref.$ref === step.id) {
      issues.push({ kind: "cycle", stepId: id, message: `step ${id} refers to its own output` });
    }
    if (ref.path !== undefined && (typeof ref.path !== "string" || !parseRefPath(ref.path))) {
      issues.push({
        kind: "bad-path",
        stepId: id,
        message: `step ${id} argument ${clip(at)} has an unreadable path "${clip(String(ref.path))}"; use forms like rows[0].id or items[*].id`,
      });
    }
  }
}

/** Issues up to `MAX_PLAN_ISSUES`, then a count of the rest by kind. */
class IssueList {
  private readonly kept: PlanIssue[] = [];
  private readonly more = new Map<string, number>();
  push(issue: PlanIssue): void {
    if (this.kept.length < MAX_PLAN_ISSUES) this.kept.push(issue);
    else this.more.set(issue.kind, (this.more.get(issue.kind) ?? 0) + 1);
  }
  done(): PlanIssue[] {
    if (this.more.size === 0) return this.kept;
    const total = [...this.more.values()].reduce((a, b) => a + b, 0);
    const kinds = [...this.more.entries()].map(([kind, n]) => `${n} ${kind}`).join(", ");
    const kind = this.more.keys().next().value as PlanIssue["kind"];
    return [...this.kept, { kind, message: `and ${total} more problems not listed (${kinds})` }];
  }
}

/** Plan text quoted in a message: a hostile plan's 100 KB tool name is not echoed back. */
function clip(text: unknown, max = 80): string {
  const s = String(text);
  return s.length > max ? `${s.slice(0, max)}…` : s;
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

/** Every string in the arguments (except `$ref` targets), with its path; iterative. */
function strings(value: unknown): Array<{ value: string; at: string }> {
  const out: Array<{ value: string; at: string }> = [];
  const stack: Array<{ value: unknown; at: string }> = [{ value, at: "" }];
  while (stack.length > 0) {
    const { value: v, at } = stack.pop()!;
    if (typeof v === "string") out.push({ value: v, at: at || "/" });
    else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], at: `${at}/${i}` });
    } else if (typeof v === "object" && v !== null) {
      const entries = Object.entries(v).filter(([k]) => k !== "$ref");
      for (let i = entries.length - 1; i >= 0; i--)
        stack.push({ value: entries[i][1], at: `${at}/${entries[i][0]}` });
    }
  }
  return out;
}

/** A dependency cycle among `steps`, as ids from the first repeated one; iterative depth-first search. */
function findCycle(steps: PlanStep[], ids: Set<string>): string[] | undefined {
  const deps = new Map(steps.map((s) => [s.id, dependenciesOf(s).filter((d) => ids.has(d) && d !== s.id)]));
  const state = new Map<string, "visiting" | "done">();
  for (const start of steps) {
    if (state.has(start.id)) continue;
    const path: string[] = [start.id];
    const next: number[] = [0];
    state.set(start.id, "visiting");
    while (path.length > 0) {
      const id = path[path.length - 1];
      const children = deps.get(id) ?? [];
      const i = next[next.length - 1]++;
      if (i >= children.length) {
        state.set(id, "done");
        path.pop();
        next.pop();
        continue;
      }
      const child = children[i];
      if (state.get(child) === "visiting") return [...path.slice(path.indexOf(child)), child];
      if (state.get(child) === "done" || !deps.has(child)) continue;
      state.set(child, "visiting");
      path.push(child);
      next.push(0);
    }
  }
  return undefined;
}
