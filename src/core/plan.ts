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

/**
 * Every reference inside a step's arguments, with the argument path it sits at, in document
 * order. Iterative: arguments of any depth are walked without growing the call stack.
 */
export function collectRefs(args: unknown, at = ""): Array<{ ref: StepRef; at: string }> {
  const found: Array<{ ref: StepRef; at: string }> = [];
  const stack: Array<{ value: unknown; at: string }> = [{ value: args, at }];
  while (stack.length > 0) {
    const { value, at: where } = stack.pop()!;
    if (isStepRef(value)) found.push({ ref: value, at: where || "/" });
    else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], at: `${where}/${i}` });
    } else if (typeof value === "object" && value !== null) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--)
        stack.push({ value: entries[i][1], at: `${where}/${entries[i][0]}` });
    }
  }
  return found;
}

/** Step ids a step depends on (deduplicated, in order of first mention). */
export function dependenciesOf(step: PlanStep): string[] {
  return [...new Set(collectRefs(step.args).map(({ ref }) => ref.$ref))];
}
