import type { z } from "zod";

interface Def {
  type: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  element?: Schema;
  options?: Schema[];
  in?: Schema;
  out?: Schema;
  valueType?: Schema;
  left?: Schema;
  right?: Schema;
  getter?: () => Schema;
}
type Schema = { _zod: { def: Def } };

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && "_zod" in value;
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"]);

/** The object schemas a value at `path` may be checked against (several for a union). */
function objectsAt(schema: Schema, path: PropertyKey[], value: unknown, depth = 0): Schema[] {
  if (depth > 64) return [];
  const def = schema._zod.def;
  if (WRAPPERS.has(def.type) && def.innerType) return objectsAt(def.innerType, path, value, depth + 1);
  if (def.type === "pipe" && def.in) return objectsAt(def.in, path, value, depth + 1);
  if (def.type === "lazy" && def.getter) return objectsAt(def.getter(), path, value, depth + 1);
  if (def.type === "intersection" && def.left && def.right)
    return [...objectsAt(def.left, path, value, depth + 1), ...objectsAt(def.right, path, value, depth + 1)];
  if (def.type === "union" && def.options) {
    const all = def.options.flatMap((o) => objectsAt(o, path, value, depth + 1));
    // A discriminated entry (`kind: "sql"`) is checked against its own branch only.
    const matching = all.filter((o) => discriminatorMatches(o, value));
    return matching.length ? matching : all;
  }
  if (path.length === 0) return def.type === "object" ? [schema] : [];
  const [head, ...rest] = path;
  const child = (value as Record<PropertyKey, unknown> | undefined)?.[head];
  if (def.type === "object" && def.shape) {
    const next = def.shape[String(head)];
    return next ? objectsAt(next, rest, child, depth + 1) : [];
  }
  if (def.type === "array" && def.element) return objectsAt(def.element, rest, child, depth + 1);
  if (def.type === "record" && def.valueType) return objectsAt(def.valueType, rest, child, depth + 1);
  return [];
}

/** True when every literal field of the object schema (a discriminator) equals the value's. */
function discriminatorMatches(object: Schema, value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  const shape = object._zod.def.shape ?? {};
  let literals = 0;
  for (const [key, field] of Object.entries(shape)) {
    const def = field._zod.def as Def & { values?: unknown[] };
    if (def.type !== "literal" || !def.values) continue;
    literals++;
    if (!def.values.includes((value as Record<string, unknown>)[key])) return false;
  }
  return literals > 0;
}

/**
 * The keys the schema accepts for the object at `path` of `input` (for a did-you-mean on an
 * unknown key). Follows optional/default wrappers, arrays, records and unions (the branch whose
 * discriminator matches the input, else all branches).
 */
export function knownKeysAt(schema: z.ZodType, path: PropertyKey[], input: unknown): string[] {
  if (!isSchema(schema)) return [];
  const keys = objectsAt(schema, path, input).flatMap((o) => Object.keys(o._zod.def.shape ?? {}));
  return [...new Set(keys)];
}
