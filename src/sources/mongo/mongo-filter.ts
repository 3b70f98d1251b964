import { mongoError } from "./mongo-error.js";

export interface FilterRules {
  /** Declared field paths; when given, every field referenced must be one of them (or below one). */
  fields?: readonly string[];
  /** Longest `$regex` text accepted; default 100. */
  maxRegexLength?: number;
}

export const FILTER_OPERATORS = [
  "$eq",
  "$ne",
  "$gt",
  "$gte",
  "$lt",
  "$lte",
  "$in",
  "$nin",
  "$and",
  "$or",
  "$not",
  "$exists",
  "$regex",
  "$elemMatch",
] as const;

const MAX_DEPTH = 8;
const MAX_ARRAY = 100;
const FIELD_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$|^\d+$/;

/**
 * Returns a copy of `filter` that uses only allow-listed operators on allowed fields, or throws.
 * Nothing unknown passes through: `$where`, `$function`, `$expr`, `$text`, `$jsonSchema` and any
 * other `$` key are refused. `$regex` text is escaped (matched literally; a leading `^` anchors it).
 */
export function sanitizeFilter(filter: unknown, rules: FilterRules = {}): Record<string, unknown> {
  return filterObject(filter, rules, "", 0);
}

function filterObject(
  filter: unknown,
  rules: FilterRules,
  prefix: string,
  depth: number,
): Record<string, unknown> {
  if (!isPlainObject(filter)) throw argError(`A filter must be an object, got ${describe(filter)}.`);
  if (depth > MAX_DEPTH) throw argError(`The filter is nested deeper than ${MAX_DEPTH} levels.`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(value) || value.length === 0 || value.length > 20)
        throw argError(`${key} needs an array of 1 to 20 filters.`);
      out[key] = value.map((f) => filterObject(f, rules, prefix, depth + 1));
    } else if (key.startsWith("$")) {
      throw refused(key);
    } else {
      const field = checkField(prefix + key, rules);
      out[key] = fieldCondition(value, field, rules, depth + 1);
    }
  }
  return out;
}

function fieldCondition(value: unknown, field: string, rules: FilterRules, depth: number): unknown {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const ops = keys.filter((k) => k.startsWith("$"));
    if (ops.length === 0) return literal(value, depth);
    if (ops.length !== keys.length)
      throw argError(
        `"${field}" mixes operators and plain keys.`,
        "Use either { $op: value } or a plain value.",
      );
    return operators(value, field, rules, depth);
  }
  return literal(value, depth);
}

function operators(
  ops: Record<string, unknown>,
  field: string,
  rules: FilterRules,
  depth: number,
): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw argError(`The filter is nested deeper than ${MAX_DEPTH} levels.`);
  const out: Record<string, unknown> = {};
  for (const [op, value] of Object.entries(ops)) {
    switch (op) {
      case "$eq":
      case "$ne":
        out[op] = literal(value, depth);
        break;
      case "$gt":
      case "$gte":
      case "$lt":
      case "$lte":
        out[op] = scalar(value, `${field}.${op}`);
        break;
      case "$in":
      case "$nin":
        if (!Array.isArray(value) || value.length > MAX_ARRAY)
          throw argError(`${op} on "${field}" needs an array of at most ${MAX_ARRAY} values.`);
        out[op] = value.map((v) => literal(v, depth));
        break;
      case "$exists":
        if (typeof value !== "boolean") throw argError(`$exists on "${field}" takes true or false.`);
        out[op] = value;
        break;
      case "$regex":
        out[op] = safeRegex(value, field, rules.maxRegexLength ?? 100);
        break;
      case "$options":
        if (!("$regex" in ops)) throw argError(`$options on "${field}" needs $regex.`);
        if (typeof value !== "string" || !/^i?$/.test(value))
          throw argError(`$options on "${field}" may only be "i".`);
        out[op] = value;
        break;
      case "$not":
        if (
          !isPlainObject(value) ||
          Object.keys(value).length === 0 ||
          !Object.keys(value).every((k) => k.startsWith("$"))
        ) {
          throw argError(`$not on "${field}" takes an operator object, e.g. { $not: { $gt: 5 } }.`);
        }
        out[op] = operators(value, field, rules, depth + 1);
        break;
      case "$elemMatch": {
        if (!isPlainObject(value)) throw argError(`$elemMatch on "${field}" takes an object.`);
        const keys = Object.keys(value);
        const allOps = keys.length > 0 && keys.every((k) => k.startsWith("$") && k !== "$and" && k !== "$or");
        out[op] = allOps
          ? operators(value, field, rules, depth + 1)
          : filterObject(value, rules, `${field}.`, depth + 1);
        break;
      }
      default:
        throw refused(op);
    }
  }
  return out;
}

/** A field path: dotted segments of plain names (or array indexes), declared if a list is given. */
export function checkField(path: string, rules: FilterRules): string {
  const segments = path.split(".");
  if (path.length > 200 || !segments.every((s) => FIELD_SEGMENT.test(s) && s !== "__proto__")) {
    throw mongoError("MONGO_FIELD_REFUSED", `"${path}" is not a plain field path.`, {
      hint: "Use names of letters, digits and '_', joined by dots.",
    });
  }
  if (rules.fields && path !== "_id" && !rules.fields.some((f) => path === f || path.startsWith(`${f}.`))) {
    throw mongoError("MONGO_FIELD_REFUSED", `Field "${path}" is not declared for this collection.`, {
      hint: `Use one of: ${rules.fields.join(", ")}.`,
    });
  }
  return path;
}

/** Escapes regex syntax so the text matches literally; a leading `^` is kept as an anchor. */
export function safeRegex(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== "string") throw argError(`$regex on "${field}" must be a string.`);
  if (value.length > maxLength)
    throw argError(`$regex on "${field}" is longer than ${maxLength} characters.`);
  const anchored = value.startsWith("^");
  const text = (anchored ? value.slice(1) : value).replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  return anchored ? `^${text}` : text;
}

/** A JSON value with no `$` keys anywhere (an exact-match document or array). */
export function literal(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw argError(`A value is nested deeper than ${MAX_DEPTH} levels.`);
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw argError("Numbers must be finite.");
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_ARRAY) throw argError(`Arrays are limited to ${MAX_ARRAY} items.`);
    return value.map((v) => literal(v, depth + 1));
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith("$")) throw refused(k);
      if (k === "__proto__") throw argError('Key "__proto__" is not allowed.');
      out[k] = literal(v, depth + 1);
    }
    return out;
  }
  throw argError(`Unsupported value ${describe(value)}.`);
}

function scalar(value: unknown, where: string): unknown {
  if (
    value === null ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  ) {
    return value;
  }
  throw argError(`${where} takes a string, number, boolean or null.`);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? "an array" : value === null ? "null" : typeof value;
}

function refused(op: string) {
  return mongoError("MONGO_OPERATOR_REFUSED", `Operator "${op}" is not allowed.`, {
    hint: `Allowed: ${FILTER_OPERATORS.join(" ")} (plus $options "i" with $regex).`,
  });
}

export function argError(message: string, hint?: string) {
  return mongoError("MONGO_ARGUMENT_INVALID", message, { hint });
}
