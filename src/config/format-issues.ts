import type { z } from "zod";
import { closestNames } from "../core/edit-distance.js";
import type { ConfigIssue } from "./config-error.js";
import { formatPath } from "./key-path.js";

type Issue = z.core.$ZodIssue;
const SECRETISH = /(key|token|secret|password|authorization)/i;

/**
 * Turns zod issues into `key.path: expected X, found Y` lines, reading what was found from the
 * input itself. Union failures report the branch that got furthest, so `planner.provider: ...`
 * rather than "invalid input".
 */
export function formatIssues(
  issues: readonly Issue[],
  input: unknown,
  base: PropertyKey[] = [],
  /** The keys accepted at a path, for a did-you-mean on an unknown key. */
  knownKeys?: (path: PropertyKey[]) => string[],
): ConfigIssue[] {
  return issues.flatMap((issue) => formatIssue(issue, input, [...base, ...issue.path], knownKeys));
}

/** `unknown key; did you mean "retentionDays"?` (or where the keys are documented). */
function unknownKeyMessage(key: string, known: string[]): string {
  const close = closestNames(key, known);
  if (close.length) return `unknown key; did you mean ${close.map((c) => `"${c}"`).join(" or ")}?`;
  const list = known.length && known.length <= 12 ? ` (known here: ${known.join(", ")})` : "";
  return `unknown key${list}; see docs/reference/config.md`;
}

function formatIssue(
  issue: Issue,
  input: unknown,
  path: PropertyKey[],
  knownKeys?: (path: PropertyKey[]) => string[],
): ConfigIssue[] {
  const at = formatPath(path);
  const value = valueAt(input, path);
  switch (issue.code) {
    case "invalid_type":
      return [
        {
          path: at,
          message:
            value === undefined
              ? `missing (expected ${article(issue.expected)})`
              : `expected ${article(issue.expected)}, found ${typeName(value)}`,
        },
      ];
    case "invalid_value":
      return [
        {
          path: at,
          message: `expected ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}, found ${describe(value, path)}`,
        },
      ];
    case "unrecognized_keys":
      return issue.keys.map((k) => ({
        path: formatPath([...path, k]),
        message: unknownKeyMessage(k, knownKeys?.(path) ?? []),
      }));
    case "invalid_union": {
      if ("discriminator" in issue && issue.discriminator) {
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String).join(" | ");
        return [{ path: at, message: `expected ${options}, found ${describe(value, path)}` }];
      }
      const branches = issue.errors as Issue[][];
      // A branch that failed deeper than the union itself is the one the user meant.
      const deep = branches.filter((b) => b.some((i) => depth(i) > 0));
      if (deep.length === 1) return formatIssues(deep[0], input, path, knownKeys);
      const expectations = branches.flatMap((b) =>
        b.map((i) =>
          i.code === "invalid_type"
            ? article(i.expected)
            : i.code === "invalid_value"
              ? i.values.map((v) => JSON.stringify(v)).join(" | ")
              : i.message,
        ),
      );
      if (deep.length > 1) {
        const best = deep.reduce((a, b) => (b.length < a.length ? b : a));
        return formatIssues(best, input, path, knownKeys);
      }
      return [
        {
          path: at,
          message: `expected ${[...new Set(expectations)].join(" or ")}, found ${describe(value, path)}`,
        },
      ];
    }
    case "too_small":
    case "too_big":
    case "invalid_format":
      return [
        {
          path: at,
          message: `expected ${issue.message.replace(/^Invalid (input|string): /i, "")}, found ${describe(value, path)}`,
        },
      ];
    default:
      return [{ path: at, message: issue.message }];
  }
}

/** How far into the input an issue got (nested unions count their deepest branch). */
function depth(issue: Issue): number {
  const nested = issue.code === "invalid_union" ? (issue.errors as Issue[][]).flat().map(depth) : [];
  return issue.path.length + Math.max(0, ...nested);
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function describe(value: unknown, path: PropertyKey[]): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") {
    if (path.some((p) => SECRETISH.test(String(p)))) return `a string of ${value.length} characters`;
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null)
    return `${typeName(value)} ${String(value)}`;
  return typeName(value);
}
