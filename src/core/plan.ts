/**
 * A plan is a DAG of tool calls. Arguments are plain JSON, except that any value may be a
 * reference to an earlier step's output, resolved locally by the executor. This is how the
 * planner chains calls without ever seeing a value.
 */
export interface StepRef {
  $ref: string;
  /** Path into the referenced step's output: `rows[0].customer_id`, `items[*].id`, `total`. */
  path?: string;
}

export interface PlanStep {
  id: string;
  tool: string;
  args: Record<string, unknown>;
}

export interface Plan {
  steps: PlanStep[];
  /** How the planner expressed it; all end in the same shape. */
  mode: "json" | "compact" | "tool-calls";
}

export function isStepRef(value: unknown): value is StepRef {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const ref = (value as Record<string, unknown>).$ref;
  return typeof ref === "string";
}

/** Every reference inside a step's arguments, with the argument path it sits at. */
export function collectRefs(args: unknown, at = ""): Array<{ ref: StepRef; at: string }> {
  if (isStepRef(args)) return [{ ref: args, at: at || "/" }];
  if (Array.isArray(args)) return args.flatMap((item, i) => collectRefs(item, `${at}/${i}`));
  if (typeof args === "object" && args !== null) {
    return Object.entries(args).flatMap(([key, value]) => collectRefs(value, `${at}/${key}`));
  }
  return [];
}

/** Step ids a step depends on (deduplicated, in order of first mention). */
export function dependenciesOf(step: PlanStep): string[] {
  return [...new Set(collectRefs(step.args).map(({ ref }) => ref.$ref))];
}
