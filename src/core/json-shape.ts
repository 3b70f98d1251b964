/**
 * Bounds on the shape of JSON values flm walks (plan arguments, tool results). Everything here is
 * iterative, so a value nested 100,000 levels deep is measured or cut without touching the call
 * stack; code that walks a value recursively after it passed these bounds cannot overflow it.
 */

export interface JsonBounds {
  /** Most levels of nested arrays/objects (a scalar is depth 0, `{"a": 1}` depth 1). */
  maxDepth: number;
  /** Most values in total (containers and scalars). */
  maxNodes: number;
}

/**
 * A plan's arguments: 32 levels (the compact plan reader's limit too) and 10,000 values per
 * plan. Real tool arguments are a few levels deep and a few dozen values.
 */
export const PLAN_ARGS_BOUNDS: JsonBounds = { maxDepth: 32, maxNodes: 10_000 };

/** Tool results deeper than this are cut with a visible marker before anything else walks them. */
export const TOOL_OUTPUT_MAX_DEPTH = 64;

export interface ShapeProblem {
  kind: "depth" | "nodes";
  /** JSON pointer of the first place over the bound, e.g. `/filters/0/value/0/0`. */
  path: string;
  limit: number;
}

/**
 * The first way `value` exceeds `bounds`, or undefined. Several values share one node budget
 * (the steps of a plan) when they are checked with the same `counter`. Class instances (Dates,
 * Buffers) count as one value. About as fast as `JSON.stringify` on the same value.
 */
export function jsonShapeProblem(
  value: unknown,
  bounds: JsonBounds,
  counter: { nodes: number } = { nodes: 0 },
): ShapeProblem | undefined {
  const start = counter.nodes;
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (++counter.nodes > bounds.maxNodes) return locate(value, bounds, start, "nodes");
    if (typeof v !== "object" || v === null || !isPlainContainer(v)) continue;
    if (depth + 1 > bounds.maxDepth) return locate(value, bounds, start, "depth");
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        values.push(v[i]);
        depths.push(depth + 1);
      }
    } else {
      for (const key in v) {
        values.push((v as Record<string, unknown>)[key]);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}

/** The slow walk, with paths, run only once a problem is known to exist. */
function locate(value: unknown, bounds: JsonBounds, nodes: number, kind: ShapeProblem["kind"]): ShapeProblem {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: "" }];
  const limit = kind === "depth" ? bounds.maxDepth : bounds.maxNodes;
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop()!;
    if (++nodes > bounds.maxNodes) return { kind: "nodes", path: path || "/", limit };
    if (typeof v !== "object" || v === null || !isPlainContainer(v)) continue;
    if (depth + 1 > bounds.maxDepth) return { kind: "depth", path: path || "/", limit };
    const entries: Array<[string, unknown]> = Array.isArray(v)
      ? v.map((item, i) => [String(i), item])
      : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--)
      stack.push({ value: entries[i][1], depth: depth + 1, path: `${path}/${entries[i][0]}` });
  }
  return { kind, path: "/", limit };
}

/** A one-line explanation of a shape problem, safe to send to the planner (no values, only a path). */
export function describeShapeProblem(problem: ShapeProblem): string {
  return problem.kind === "depth"
    ? `nested more than ${problem.limit} levels deep (at ${truncatePath(problem.path)})`
    : `with more than ${problem.limit} values`;
}

function truncatePath(path: string): string {
  return path.length > 80 ? `${path.slice(0, 40)}…${path.slice(-30)}` : path;
}

/**
 * A copy of `value` in which every array/object more than `maxDepth` levels down is replaced by
 * `marker`; `cut` counts the replacements. Values within the bound come back as they are (same
 * identity) when nothing was cut. Plain JSON only: class instances (Dates, Buffers) are kept whole.
 */
export function cutDeeperThan(
  value: unknown,
  maxDepth: number,
  marker = `[cut: nested more than ${maxDepth} levels deep]`,
): { value: unknown; cut: number } {
  if (!jsonShapeProblem(value, { maxDepth, maxNodes: Number.POSITIVE_INFINITY })) return { value, cut: 0 };
  let cut = 0;
  const root: { value: unknown } = { value: undefined };
  const stack: Array<{ value: unknown; depth: number; assign: (v: unknown) => void }> = [
    { value, depth: 0, assign: (v) => (root.value = v) },
  ];
  while (stack.length > 0) {
    const { value: v, depth, assign } = stack.pop()!;
    if (typeof v !== "object" || v === null || !isPlainContainer(v)) {
      assign(v);
      continue;
    }
    if (depth + 1 > maxDepth) {
      cut++;
      assign(marker);
      continue;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      assign(out);
      for (let i = 0; i < v.length; i++)
        stack.push({ value: v[i], depth: depth + 1, assign: (x) => (out[i] = x) });
    } else {
      const out: Record<string, unknown> = {};
      assign(out);
      const entries = Object.entries(v);
      for (const [k] of entries) out[k] = undefined; // keys keep their order
      for (const [k, item] of entries)
        stack.push({ value: item, depth: depth + 1, assign: (x) => (out[k] = x) });
    }
  }
  return { value: root.value, cut };
}

function isPlainContainer(v: object): boolean {
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
