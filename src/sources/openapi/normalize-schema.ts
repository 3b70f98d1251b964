import type { JSONSchema7 } from "../../tools/json-schema.js";

/**
 * OpenAPI 3.0 schemas are a JSON Schema dialect; this rewrites the parts a draft-07 validator
 * reads differently: `nullable: true` becomes a `"null"` type, boolean `exclusiveMinimum`
 * / `exclusiveMaximum` become numbers. 3.1 schemas pass through unchanged.
 */
export function normalizeSchema(schema: unknown): JSONSchema7 {
  return walk(schema) as JSONSchema7;
}

function walk(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(walk);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // `properties` maps names to schemas; every other object-valued keyword holds schemas too.
    out[key] = walk(value);
  }
  if (out.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    else if (Array.isArray(out.type) && !out.type.includes("null")) out.type = [...out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  delete out.nullable;
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (typeof out[flag] === "boolean") {
      if (out[flag] === true && typeof out[bound] === "number") {
        out[flag] = out[bound];
        delete out[bound];
      } else {
        delete out[flag];
      }
    }
  }
  return out;
}
