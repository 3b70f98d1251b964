import { isStepRef } from "../core/plan.js";
import { MISSING, parseRefPath, resolveRefPath } from "../core/ref-path.js";

export class UnresolvedRefError extends Error {
  constructor(
    readonly stepId: string,
    readonly path: string,
  ) {
    super(`step ${stepId} returned nothing at "${path || "(whole output)"}"`);
  }
}

/** Replaces every `{ $ref, path }` by the value it points to in the earlier step's output. */
export function resolveArgs(args: unknown, outputs: ReadonlyMap<string, unknown>): unknown {
  if (isStepRef(args)) {
    const path = args.path ?? "";
    const value = resolveRefPath(outputs.get(args.$ref), parseRefPath(path) ?? []);
    if (value === MISSING || value === undefined) throw new UnresolvedRefError(args.$ref, path);
    return value;
  }
  if (Array.isArray(args)) return args.map((item) => resolveArgs(item, outputs));
  if (typeof args === "object" && args !== null) {
    return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, resolveArgs(v, outputs)]));
  }
  return args;
}
