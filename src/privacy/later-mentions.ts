import type { Span } from "./span.js";
import { ValueIndex } from "./value-index.js";

/*
 * Consistency: once a value was found somewhere, every other mention of it is replaced too, in
 * the same prompt ("Maria Keller … maria keller") and in later turns of the conversation (the
 * vault's values). Matching is the value index's: whole words, case- and accent-insensitive.
 * Values in scripts written without spaces (Han, kana, Thai) are matched as substrings.
 */
const NO_SPACES =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

const SKIP = new Set(["DATE_TIME"]);

export interface KnownValue {
  type: string;
  value: string;
}

/** Spans for further mentions of `known` values in `text` (score 0.58: above the heuristic detectors, below checked formats; the caller resolves overlaps). */
export function laterMentions(text: string, known: Iterable<KnownValue>): Span[] {
  const index = new ValueIndex({ minLength: 3 });
  const spans: Span[] = [];
  const seen = new Set<string>();
  for (const k of known) {
    const key = `${k.type}\u0000${k.value}`;
    // Numbers and dates are matched by their detectors; a year found once must not claim the
    // digits of a phone number elsewhere.
    if (seen.has(key) || !/\p{L}/u.test(k.value) || SKIP.has(k.type)) continue;
    seen.add(key);
    if (NO_SPACES.test(k.value)) {
      if (k.value.length < 2) continue;
      for (let i = text.indexOf(k.value); i !== -1; i = text.indexOf(k.value, i + k.value.length))
        spans.push({ type: k.type, start: i, end: i + k.value.length, value: k.value, score: 0.58 });
    } else index.add({ type: k.type, value: k.value, origin: "mention" });
  }
  if (index.size > 0) for (const s of index.match(text)) spans.push({ ...s, type: s.type, score: 0.58 });
  return spans;
}
