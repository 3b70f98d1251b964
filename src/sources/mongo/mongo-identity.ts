import type { Caller } from "../../tools/caller.js";
import { mongoError } from "./mongo-error.js";

/**
 * Row-level identity for a collection: every document a tool reads must have `field` equal to the
 * caller's `user.id` (or `user.<attribute>`). The condition is added after the planner's filter or
 * pipeline was checked, so nothing the planner sends can lift it.
 */
export interface MongoIdentityBinding {
  /** Document field holding the owner, e.g. `"owner"` or `"acl.user"`. */
  field: string;
  /** `"user.id"` (default) or `"user.<attribute>"` from the caller's attributes. */
  value?: string;
}

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const VALUE = /^user\.[A-Za-z_][A-Za-z0-9_]*$/;

/** A configuration problem with `binding`, or undefined when it is well-formed. */
export function identityProblem(binding: MongoIdentityBinding): string | undefined {
  if (typeof binding?.field !== "string" || !FIELD_PATH.test(binding.field))
    return "identity.field must be a plain field path.";
  if (binding.value !== undefined && (typeof binding.value !== "string" || !VALUE.test(binding.value)))
    return 'identity.value must be "user.id" or "user.<attribute>".';
  return undefined;
}

/** `{ [field]: <caller's value> }`; refuses a run without a caller (or without the attribute). */
export function identityMatch(
  binding: MongoIdentityBinding,
  caller: Caller | undefined,
  toolName: string,
): Record<string, unknown> {
  const name = binding.value ?? "user.id";
  if (!caller) {
    throw mongoError("MONGO_CALLER_REQUIRED", `Tool "${toolName}" binds ${name} but the run has no caller.`, {
      hint: "Pass `caller: { id, roles }` in the run options.",
    });
  }
  const key = name.slice("user.".length);
  const value = key === "id" ? caller.id : caller.attributes?.[key];
  if (value === undefined) {
    throw mongoError(
      "MONGO_CALLER_REQUIRED",
      `Tool "${toolName}" binds ${name} but the caller has no "${key}" attribute.`,
      { hint: `Add "${key}" to the caller's attributes.` },
    );
  }
  return { [binding.field]: value };
}

/** The planner's (already checked) filter, narrowed to the caller's documents. */
export function bindFilter(filter: Record<string, unknown>, match: Record<string, unknown>) {
  return Object.keys(filter).length === 0 ? { ...match } : { $and: [match, filter] };
}

/**
 * The (already checked) pipeline, narrowed: a leading `$match` for the collection's own binding,
 * and a `$match` first in the sub-pipeline of every `$lookup` into a bound collection.
 */
export function bindPipeline(
  pipeline: Record<string, unknown>[],
  own: Record<string, unknown> | undefined,
  lookupMatch: (from: string) => Record<string, unknown> | undefined,
): Record<string, unknown>[] {
  const out = pipeline.map((stage) => {
    const lookup = stage.$lookup as { from: string; pipeline?: unknown[] } | undefined;
    const match = lookup && lookupMatch(lookup.from);
    if (!lookup || !match) return stage;
    return { $lookup: { ...lookup, pipeline: [{ $match: match }, ...(lookup.pipeline ?? [])] } };
  });
  return own ? [{ $match: own }, ...out] : out;
}
