/**
 * Does an answer state a value? Numbers as values (with a tolerance, and rounding to the decimals
 * written), dates in any common format (with a tolerance in days), texts as token sequences through
 * the privacy layer's one tokenization (case, accents, punctuation). The grounding check's parsers,
 * so `flm eval` and the run-time check read an answer the same way.
 */
import { daysBetween, findDates } from "../grounding/dates.js";
import { findNumbers, numberWithin } from "../grounding/numbers.js";
import { normalizeValue, tokenize } from "../privacy/normalize.js";
import type { Fact } from "./eval-suite-schema.js";

export interface ExpectedValue {
  value: string | number;
  tolerance: number;
  label?: string;
}

const NUMERIC = /^-?\d+(?:\.\d+)?$/;
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+Z?)?$/;

export function expectedValue(fact: Fact): ExpectedValue {
  if (typeof fact === "object")
    return { value: fact.value, tolerance: fact.tolerance ?? 0, label: fact.label };
  return { value: fact, tolerance: 0 };
}

/** A prepared answer: its numbers, dates and tokens, read once for every fact. */
export interface ReadAnswer {
  numbers: ReturnType<typeof findNumbers>;
  dates: ReturnType<typeof findDates>;
  tokens: string[];
}

export function readAnswer(answer: string): ReadAnswer {
  const dates = findDates(answer);
  return { dates, numbers: findNumbers(answer), tokens: tokenize(answer).tokens };
}

/** True when the answer states the value. */
export function states(answer: ReadAnswer, expected: ExpectedValue): boolean {
  const { value, tolerance } = expected;
  const text = String(value).trim();
  if (typeof value === "number" || NUMERIC.test(text)) {
    const n = Number(text);
    return answer.numbers.some((m) => numberWithin(m, n, tolerance));
  }
  const date = ISO_DATE.exec(text);
  if (date) return answer.dates.some((d) => d.keys.some((k) => daysBetween(k, date[1]!) <= tolerance));
  return containsTokens(answer.tokens, tokenize(text).tokens);
}

function containsTokens(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * An argument the planner wrote (resolved locally) against the one a suite expects: numbers by
 * value ("2024" = 2024), texts normalized, lists as sets (a one-item list = the item), objects by
 * the expected keys.
 */
export function argMatches(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    const list = Array.isArray(actual) ? actual : [actual];
    return (
      list.length === expected.length &&
      expected.every((e) => list.some((a) => argMatches(e, a))) &&
      list.every((a) => expected.some((e) => argMatches(e, a)))
    );
  }
  if (Array.isArray(actual) && actual.length === 1) return argMatches(expected, actual[0]);
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (typeof expected === "number") return actual !== null && actual !== "" && Number(actual) === expected;
  if (typeof expected === "boolean") return actual === expected;
  if (typeof expected === "string") {
    if (typeof actual === "number") return NUMERIC.test(expected) && Number(expected) === actual;
    return typeof actual === "string" && normalizeValue(actual) === normalizeValue(expected);
  }
  if (typeof expected === "object") {
    if (typeof actual !== "object" || actual === null) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(expected).every(([k, v]) => argMatches(v, a[k]));
  }
  return false;
}

const IDK =
  /\b(?:i\s+(?:do\s+not|don['’]t|cannot|can['’]t)\s+(?:know|tell|find|say|answer)|(?:no|not\s+(?:any|enough))\s+(?:data|information|records?|results?|matching)|(?:could|can)\s*(?:not|n['’]t)\s+find|(?:was|were)\s+not\s+found|returned\s+no(?:thing)?|nothing\s+(?:came\s+up|was\s+found)|unable\s+to\s+(?:find|answer|determine))\b/i;

/** The answer declines: "I don't know", "no data", "could not find". */
export function saysIDontKnow(answer: string): boolean {
  return IDK.test(answer);
}
