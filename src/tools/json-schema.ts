import type { JSONSchema7 } from "@ai-sdk/provider";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

export type { JSONSchema7 };

// ajv-formats is CJS; depending on the loader its default export arrives as the function or
// wrapped once more under `default`.
type AddFormats = (ajv: Ajv) => Ajv;
const isFunction = (f: unknown): f is AddFormats => typeof f === "function";
const exported: unknown[] = [Reflect.get(addFormatsModule, "default"), addFormatsModule];
const addFormats = exported.find(isFunction);
if (!addFormats) throw new Error("ajv-formats did not load: its export is not a function.");

const ajv = addFormats(new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: true }));
const cache = new WeakMap<object, ValidateFunction>();

export interface SchemaIssue {
  /** JSON pointer into the validated value, e.g. `/filters/0/value`. */
  path: string;
  message: string;
}

/** Compile once per schema object; validators are cached by identity. */
export function jsonSchemaValidator(schema: JSONSchema7): (value: unknown) => SchemaIssue[] {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema as object);
    cache.set(schema, validate);
  }
  const fn = validate;
  return (value) => (fn(value) ? [] : (fn.errors ?? []).map(toIssue));
}

function toIssue(error: ErrorObject): SchemaIssue {
  const where = error.instancePath || "/";
  if (error.keyword === "additionalProperties") {
    return { path: where, message: `unknown property "${String(error.params.additionalProperty)}"` };
  }
  if (error.keyword === "required") {
    return { path: where, message: `missing required property "${String(error.params.missingProperty)}"` };
  }
  return { path: where, message: error.message ?? error.keyword };
}
