import { DIGIT, type LexedTokens } from "./lexed-tokens.js";
import { charClass, hashToken, INVISIBLE, normalizeToken } from "./normalize-token.js";
import { charsBefore, textBetween } from "./token-context.js";

/*
 * Identifiers (SSNs, phone numbers, card numbers, IBANs, account numbers) are typed in many
 * groupings: "999-12-3456", "999 12 3456", "999.12.3456", "999123456"; "(402) 555-0142",
 * "402.555.0142", "+1 402 555 0142", "+14025550142". Such a value is indexed by its compact form
 * (letters and digits only) and found in a text wherever a run of digit groups, joined by spaces,
 * dashes, dots, slashes or parentheses, spells it out between token boundaries (or letter/digit
 * boundaries inside a token: "SSN999123456"). Phone numbers also match without or with their
 * country code and trunk prefix ("+49 30 1234567" is "030 1234567").
 */

/** Shortest compact form and fewest digits that make a value an identifier. */
const MIN_CHARS = 6;
const MIN_DIGITS = 5;
const MAX_CHARS = 40;
/** Longest separator between two groups of one identifier: ") - ". */
const MAX_GAP = 4;

const hasDigit = (t: string) => /[0-9]/.test(t);
/** A group of an identifier: has a digit, or is a short letter group ("DE89", "NWBK", "ab"). */
const isGroup = (t: string) => t.length <= 4 || hasDigit(t);

/** Whether the view's text between two tokens of one source is a short run of separators. */
function lightBetween(text: string, from: number, to: number): boolean {
  if (to - from > MAX_GAP) return false;
  for (let i = from; i < to; i++) if (!lightChar(text, i)) return false;
  return to > from;
}

function lightChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  // space, tab, ( ) + - . / , no-break and thin spaces, hyphens and dashes
  if (c === 32 || c === 9 || c === 40 || c === 41 || c === 43 || c === 45 || c === 46 || c === 47)
    return true;
  if (c === 0xa0 || c === 0x2007 || c === 0x2009 || c === 0x202f || (c >= 0x2010 && c <= 0x2013)) return true;
  return c >= 128 && charClass(text, i, c) === INVISIBLE;
}

function lightGap(gap: string): boolean {
  return lightBetween(gap, 0, gap.length);
}

/** Compact forms a value is known by; empty when it is not an identifier. */
export function identifierForms(value: string, tokens: readonly string[]): string[] {
  if (tokens.length === 0 || !tokens.some(hasDigit) || !tokens.every(isGroup)) return [];
  const compact = tokens.join("");
  const digits = compact.replace(/[^0-9]/g, "").length;
  // Mostly digits: ids, numbers, codes ("customer123@example45.com" is an e-mail, not an id).
  if (
    compact.length < MIN_CHARS ||
    compact.length > MAX_CHARS ||
    digits < MIN_DIGITS ||
    digits * 2 < compact.length
  )
    return [];
  const forms = new Set([compact]);
  if (digits === compact.length) {
    const trimmed = value.trim();
    const international = trimmed.startsWith("+")
      ? compact
      : /^00[1-9]/.test(compact)
        ? compact.slice(2)
        : "";
    if (international) {
      forms.add(international);
      // The country code is the first group when the number is grouped ("+49 30 1234567").
      const grouped = tokens.length > 1 && tokens[0]!.length <= 3 && !trimmed.startsWith("00");
      for (const cc of grouped ? [tokens[0]!.length] : [1, 2, 3]) {
        let national = international.slice(cc);
        if (national.startsWith("0")) national = national.slice(1); // "+49 (0)30"
        if (national.length >= MIN_CHARS) forms.add(national).add(`0${national}`);
      }
    } else if (compact.startsWith("0") && compact.length >= 8) {
      forms.add(compact.slice(1)); // national "030 1234567" is "+49 30 1234567"
    } else if (compact.length === 10 && /^[2-9]\d\d[2-9]/.test(compact)) {
      forms.add(`1${compact}`); // North American "402 555 0142" is "1-402-555-0142"
    }
  }
  return [...forms];
}

export interface IdentifierMatch {
  /** Lexed token indexes of the first and last token the match touches. */
  first: number;
  last: number;
  /** Offsets in the source text of `first` (start) and of `last` (end). */
  start: number;
  end: number;
  entry: number;
}

export class IdentifierForms {
  private readonly keys = new Map<string, number>();
  /** Letter-only groups of indexed identifiers ("nwbk", "ref"): the only words a run may hold. */
  private readonly letterGroups = new Set<string>();
  private readonly letterHashes = new Set<number>();
  private readonly lengths = new Uint8Array(MAX_CHARS + 1);
  private minLength = MAX_CHARS + 1;

  get size(): number {
    return this.keys.size;
  }

  /** Indexes the forms of a value for `entry`; false when the value is not an identifier. */
  add(value: string, tokens: readonly string[], entry: number): boolean {
    const forms = identifierForms(value, tokens);
    if (forms.length > 0)
      for (const t of tokens)
        if (!hasDigit(t)) {
          this.letterGroups.add(t);
          this.letterHashes.add(hashToken(t));
        }
    for (const form of forms) {
      if (this.keys.has(form)) continue;
      this.keys.set(form, entry);
      this.lengths[form.length] = 1;
      this.minLength = Math.min(this.minLength, form.length);
    }
    return forms.length > 0;
  }

  /** Leftmost-longest identifier matches in one view of a lexed text. */
  scan(lexed: LexedTokens, view: number, visit: (m: IdentifierMatch) => void): void {
    if (this.keys.size === 0) return;
    const { count, flags } = lexed;
    const split = lexed.split;
    const inView = (k: number) => !split || (flags[k]! & view) !== 0;
    const len = (k: number) => lexed.norm[k]?.length ?? lexed.end[k]! - lexed.start[k]!;
    const group = (k: number) =>
      (flags[k]! & DIGIT) !== 0 ||
      (this.letterHashes.has(lexed.hash[k]!) && this.letterGroups.has(lexed.tokenText(k)));
    const joined = (a: number, b: number) => {
      const src = lexed.src[a]!;
      if (src === lexed.src[b]) return lightBetween(lexed.texts[src]!, lexed.end[a]!, lexed.start[b]!);
      const gap = textBetween(lexed, view, a, b, MAX_GAP);
      return gap !== undefined && lightGap(gap);
    };
    const step = (k: number, d: number) => {
      let j = k + d;
      while (j >= 0 && j < count && !inView(j)) j += d;
      return j;
    };
    let done = -1;
    for (let k = 0; k < count; k++) {
      if ((flags[k]! & DIGIT) === 0 || k <= done || !inView(k)) continue;
      // The run of groups around this digit group.
      let from = k;
      let to = k;
      let total = len(k);
      for (let j = step(k, -1); j > done && group(j) && joined(j, from); j = step(j, -1)) {
        from = j;
        total += len(j);
      }
      for (let j = step(k, 1); j < count && group(j) && joined(to, j); j = step(j, 1)) {
        to = j;
        total += len(j);
      }
      done = to;
      if (total < this.minLength) continue;
      const run: number[] = [];
      for (let j = from; j <= to; j = step(j, 1)) run.push(j);
      this.scanRun(lexed, view, run, visit);
    }
  }

  private scanRun(
    lexed: LexedTokens,
    view: number,
    run: number[],
    visit: (m: IdentifierMatch) => void,
  ): void {
    let compact = "";
    const at: number[] = []; // compact offset where each run token starts
    // Where a match may start or end: compact offset -> offset in the token's source text.
    const starts = new Map<number, number>();
    const ends = new Map<number, number>();
    for (const k of run) {
      const text = lexed.tokenText(k);
      at.push(compact.length);
      starts.set(compact.length, lexed.start[k]!);
      for (const [inCompact, inSource] of letterDigitBoundaries(lexed, k, text)) {
        starts.set(compact.length + inCompact, inSource);
        ends.set(compact.length + inCompact, inSource);
      }
      compact += text;
      ends.set(compact.length, lexed.end[k]!);
    }
    // International numbers ("+1 402…", "0049 30…"): the country code may be left out of the value.
    const intl: Array<{ j: number; prefix: number; plus: boolean }> = [];
    for (let j = 0; j < run.length; j++) {
      const k = run[j]!;
      const text = lexed.tokenText(k);
      if (lexed.norm[k] !== undefined || !/^[0-9]+$/.test(text)) continue;
      const plus = charsBefore(lexed, view, k, 1) === "+";
      const prefix = plus ? 0 : text.startsWith("00") ? 2 : -1;
      if (prefix < 0) continue;
      intl.push({ j, prefix, plus });
      for (let cc = 1; cc <= 3 && prefix + cc < text.length; cc++)
        starts.set(at[j]! + prefix + cc, lexed.start[k]! + prefix + cc);
    }
    const ordered = [...starts.keys()].sort((a, b) => a - b);
    const endsDown = [...ends.keys()].sort((a, b) => b - a);
    let covered = 0;
    for (const b of ordered) {
      if (b < covered) continue;
      for (const e of endsDown) {
        if (e - b < this.minLength) break;
        if (e - b > MAX_CHARS || this.lengths[e - b] === 0) continue;
        const entry = this.keys.get(compact.slice(b, e));
        if (entry === undefined) continue;
        const firstK = run[tokenAt(at, b)]!;
        const lastK = run[tokenAt(at, e - 1)]!;
        let start = starts.get(b)!;
        // "+1 402 555 0142" matched from "402": the placeholder covers the country code too.
        for (const { j, prefix, plus } of intl) {
          const skipped = compact.slice(at[j]! + prefix, b);
          if (at[j]! > b || !/^[0-9]{0,4}$/.test(skipped)) continue;
          const k = run[j]!;
          if (lexed.src[k] === lexed.src[firstK]) start = lexed.start[k]! - (plus ? 1 : 0);
          break;
        }
        visit({ first: firstK, last: lastK, start, end: ends.get(e)!, entry });
        covered = e;
        break;
      }
    }
  }
}

const DIGIT_CHAR = /\p{Nd}/u;
const SKIPPED = /[\p{M}\p{Default_Ignorable_Code_Point}]/u;

/**
 * Letter/digit boundaries inside token `k` ("ssn999123456", "köln999"): [offset in the normalized
 * token, offset in the source text]. Marks and invisible characters go with what precedes them.
 */
function letterDigitBoundaries(lexed: LexedTokens, k: number, norm: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const start = lexed.start[k]!;
  const end = lexed.end[k]!;
  if (lexed.norm[k] === undefined) {
    for (let i = 1; i < norm.length; i++)
      if (isDigit(norm, i) !== isDigit(norm, i - 1)) out.push([i, start + i]);
    return out;
  }
  const text = lexed.texts[lexed.src[k]!]!;
  let previous: boolean | undefined;
  for (let p = start; p < end; p++) {
    const c = text[p]!;
    if (SKIPPED.test(c)) continue;
    const digit = DIGIT_CHAR.test(c);
    if (previous !== undefined && digit !== previous)
      out.push([normalizeToken(text.slice(start, p)).length, p]);
    previous = digit;
  }
  return out;
}

function isDigit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Index of the run token whose compact text holds offset `offset`. */
function tokenAt(at: number[], offset: number): number {
  let i = at.length - 1;
  while (i > 0 && at[i]! > offset) i--;
  return i;
}
