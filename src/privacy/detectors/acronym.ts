import type { Detector, Span } from "../span.js";
import { COMMON_ACRONYMS } from "./common-acronyms.js";
import { getLexicon } from "./lexicon.js";

/*
 * Acronyms that are not common English name something of the user's: a team, a school's placement
 * cell, an internal programme ("the KJRT placement cell", "our QZNOP team", "MHRA-Q"). All-caps
 * tokens of 3-6 letters (optionally with digits or a short hyphenated suffix) that are not in
 * `COMMON_ACRONYMS`, not an English word in capitals ("ZIP", "SELECT", "WARREN") and not a town
 * ("OULU" in an address block is a place), on a line that is not written in capitals throughout.
 * Two-letter codes are left alone: they are mostly states, provinces and countries ("PA", "QC").
 */
const ACRONYM =
  /(?<![\p{L}\p{N}_&-])[A-Z](?:[A-Z&]|\d(?=[A-Z\d]*[A-Z]))*[A-Z\d](?:-[A-Z\d]{1,2})?(?![\p{L}\p{N}_-])/gu;

function shouting(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf("\n", at) + 1;
  const lineEnd = text.indexOf("\n", at);
  const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const lower = (line.match(/\p{Ll}/gu) ?? []).length;
  const upper = (line.match(/\p{Lu}/gu) ?? []).length;
  return upper > 12 && lower < upper;
}

function addressLine(text: string, at: number): boolean {
  const from = text.lastIndexOf("\n", at) + 1;
  const to = text.indexOf("\n", at);
  const line = text.slice(from, to === -1 ? undefined : to);
  return /\d{3,}/.test(line);
}

/** Lower-case acronyms: no vowel at all ("bxg", "nwdc"), or three consonants opening a word no
 * English word opens with ("wsnre"); never an English word, a public word or a name. */
const LOWER = /(?<![\p{L}\p{N}_@.#-])[a-z]{3,6}(?![\p{L}\p{N}_@-]|\.[a-z])/gu;
const ONSETS = /^(?:str|spr|scr|spl|squ|thr|chr|sch|shr|phr|sph|christ|scl|sts)/;
function lowerAcronym(word: string): boolean {
  if (!/[aeiouy]/.test(word)) return !/^(?:hmm+|brr+|shh+|pst|nth|tsk|grr+|zzz+|mmm+)$/.test(word);
  return /^[^aeiouy]{3}/.test(word) && !ONSETS.test(word);
}

export const acronymDetector: Detector = {
  name: "acronym",
  detect(text) {
    const spans: Span[] = [];
    for (const m of text.matchAll(LOWER)) {
      const word = m[0];
      if (!lowerAcronym(word) || COMMON_ACRONYMS.has(word)) continue;
      const lex = getLexicon();
      if (lex.isWord(word) || lex.isFirstName(word) || lex.isLastName(word)) continue;
      spans.push({ type: "ACRONYM", start: m.index!, end: m.index! + word.length, value: word, score: 0.45 });
    }
    for (const m of text.matchAll(ACRONYM)) {
      const value = m[0];
      const letters = value.replace(/[^A-Z]/g, "");
      if (letters.length < 3 || value.length > 8) continue;
      const key = value.toLowerCase();
      const head = key.split("-")[0]!;
      if (COMMON_ACRONYMS.has(key) || COMMON_ACRONYMS.has(head)) continue;
      const lex = getLexicon();
      if (lex.isWord(head) || lex.cityPopulation(head) > 0 || lex.isFirstName(head) || lex.isLastName(head))
        continue;
      // Plural of a common acronym: "APIs", "CEOs" are not all-caps; "PDFS" is rare.
      if (shouting(text, m.index!)) continue;
      // A town in capitals on an address line, next to a postcode ("50668 Kiannonkatu 98, ISHAM").
      if (letters.length >= 5 && addressLine(text, m.index!)) continue;
      spans.push({ type: "ACRONYM", start: m.index!, end: m.index! + value.length, value, score: 0.5 });
    }
    return spans;
  },
};
