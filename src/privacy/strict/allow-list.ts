import { COMMON_ACRONYMS } from "../detectors/common-acronyms.js";
import type { Span } from "../span.js";
import { detectLanguage, languageVocabulary } from "./languages.js";
import { inNamePosition } from "../detectors/product-names.js";
import { isQuantity } from "./quantity.js";
import { CAPITALIZED_PUBLIC } from "../detectors/public-vocabulary.js";

/*
 * Strict mode's last stage: every stretch of text that no detector claimed is cut into tokens, and
 * a token goes out as it is only if it is known to be safe (see `isSafe`). Unsafe tokens next to
 * each other (separated by a space, a tab or `&`) form one run, and each run becomes one span:
 * `ID` when it has a digit, `HANDLE` for `@name`/`name#1234`, `TERM` otherwise. Text in scripts
 * without spaces (Han, kana, Thai, ...) is one token per run of that script.
 */
export interface AllowList {
  /** Lower-case words that are safe. */
  words: ReadonlySet<string>;
  /**
   * The most common of them (SCOWL 10-20): a rarer word in a name's position ("the orchard
   * migration", "`bramble` cli", "oxbow 4.1", "an app called fathom") is taken for a name.
   */
  core?: ReadonlySet<string>;
  /** Keep amounts after a currency sign or before a currency word (default true). */
  amounts?: boolean;
}

export interface AllowContext {
  /** Lower-case words of the bound tool specs and `privacy.allowTerms`. */
  publicTerms?: ReadonlySet<string>;
  /** Common words of the prompt's language other than English (set by `unsafeRuns`). */
  foreign?: ReadonlySet<string>;
}

const TOKEN = /[@#]?[\p{L}\p{N}\p{M}]+(?:[-_.@#/+:&'’](?=[\p{L}\p{N}])[\p{L}\p{N}\p{M}]+)*/gu;
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{N}@#_.\-/+:&'’]/u;
const MARK = /\p{M}/u;
const OTHER_SCRIPT = /[^\s\p{Script=Latin}\p{N}\p{P}\p{S}]/u;
const SENTENCE_END = /(?:^|[.!?:;\n。！？：；]|[.!?:]["'”’)\]]?)[\s"'“‘«([*•>-]*$/u;

interface Token {
  start: number;
  end: number;
  text: string;
}

/** Tokens of `text[from, to)`, split where Latin letters and digits meet other scripts. */
function tokensIn(text: string, from: number, to: number, out: Token[]): void {
  const gap = text.slice(from, to);
  for (const m of gap.matchAll(TOKEN)) {
    const start = from + m.index!;
    let i = 0;
    const s = m[0];
    while (i < s.length) {
      const latin = LATIN_OR_DIGIT.test(s[i]!);
      let j = i + 1;
      // Combining marks (Devanagari vowel signs, accents) stay with their letter.
      while (j < s.length && (MARK.test(s[j]!) || LATIN_OR_DIGIT.test(s[j]!) === latin)) j++;
      out.push({ start: start + i, end: start + j, text: s.slice(i, j) });
      i = j;
    }
  }
}

function titleCaseLine(text: string, at: number): boolean {
  const from = text.lastIndexOf("\n", at) + 1;
  const to = text.indexOf("\n", at);
  const words = text.slice(from, to === -1 ? undefined : to).match(/\p{L}+/gu) ?? [];
  if (words.length < 4) return false;
  return words.filter((w) => /^\p{Lu}/u.test(w)).length >= 0.6 * words.length;
}

function wordSafe(lower: string, list: AllowList, ctx: AllowContext): boolean {
  return (
    list.words.has(lower) || (ctx.publicTerms?.has(lower) ?? false) || (ctx.foreign?.has(lower) ?? false)
  );
}

/** Whether one token may go out unchanged; `end` may shrink to leave a possessive out. */
function isSafe(text: string, t: Token, list: AllowList, ctx: AllowContext): boolean {
  const s = t.text;
  if (!/^[\p{Script=Latin}\p{N}]/u.test(s.replace(/^[@#]/, ""))) {
    const lower = s.toLowerCase();
    if (ctx.foreign?.has(lower) || ctx.publicTerms?.has(lower)) return true;
    return ctx.foreign !== undefined && NO_SPACES.test(s) && knownPieces(s, ctx.foreign);
  }
  if (
    /^\p{N}/u.test(s) &&
    isQuantity(
      s,
      text.slice(Math.max(0, t.start - 2), t.start),
      text.slice(t.end, t.end + 10),
      list.amounts ?? true,
    )
  )
    return true;
  const lower = s.toLowerCase();
  if (ctx.publicTerms?.has(lower)) return true;
  if (/[@#:+]/.test(s)) return lower === "1:1" || (/^\d{1,2}:\d{2}$/.test(s) && isQuantity(s));
  if (QUARTER.test(s)) return true;
  // Capitals: a common acronym, or a proper-noun signal mid-sentence (not on a title-case line).
  const letters = s.replace(/[^\p{L}]/gu, "");
  if (
    letters.length >= 2 &&
    letters === letters.toUpperCase() &&
    /\p{Lu}/u.test(letters) &&
    !/[_-]/.test(s)
  ) {
    if (COMMON_ACRONYMS.has(lower) || COMMON_ACRONYMS.has(lower.replace(/s$/, ""))) return true;
    if (!shoutingLine(text, t.start)) return false;
  } else if (/^\p{Lu}/u.test(s) && !CAPITALIZED_PUBLIC.has(lower.replace(/['’]s$/, ""))) {
    const before = text.slice(Math.max(0, t.start - 12), t.start);
    // Glued to text of another script ("Orchardのビルド") it is a name wherever it stands.
    const glued = OTHER_SCRIPT.test(text[t.start - 1] ?? " ") || OTHER_SCRIPT.test(text[t.end] ?? " ");
    if (glued || (!SENTENCE_END.test(before) && !titleCaseLine(text, t.start))) return false;
  }
  if (wordSafe(lower, list, ctx)) return true;
  // Possessives and contractions: "Rachel's" is judged as "Rachel", "haven't" as "have".
  const base = lower.replace(/['’](?:s|ve|ll|re|d|m)$|n['’]t$/, "");
  if (base !== lower && (wordSafe(base, list, ctx) || base === "ca" || base === "wo" || base === "sha"))
    return true;
  const parts = lower.split(/[-_./&'’]+/).filter(Boolean);
  if (parts.length > 1)
    return parts.every(
      (p) => wordSafe(p, list, ctx) || /^[a-z]$/.test(p) || isQuantity(p) || ELISIONS.has(p),
    );
  return false;
}

const QUARTER = /^(?:q[1-4]|h[12]|fy\d{2}(?:\d{2})?)$/i;
const ELISIONS = new Set(["l", "d", "j", "m", "n", "s", "t", "c", "qu", "ll", "re", "ve"]);

function shoutingLine(text: string, at: number): boolean {
  const from = text.lastIndexOf("\n", at) + 1;
  const to = text.indexOf("\n", at);
  const line = text.slice(from, to === -1 ? undefined : to);
  const lower = (line.match(/\p{Ll}/gu) ?? []).length;
  const upper = (line.match(/\p{Lu}/gu) ?? []).length;
  return upper > 12 && lower < upper;
}

/**
 * Words that end organisation names ("Corvid Security", "redfern motors", "Zentrix GmbH"): after an
 * unsafe run they join it, since they are part of the name.
 */
const ORG_SUFFIX = new Set(
  (
    "inc llc ltd gmbh ag sa sas sarl bv nv oy ab as aps srl spa plc corp co company group holdings partners " +
    "associates consulting bank university college school academy institute hospital clinic health healthcare " +
    "dental pharma pharmaceuticals labs laboratories security insurance legal law capital ventures realty " +
    "properties hotels hotel foods media studios studio systems solutions technologies technology software " +
    "analytics logistics energy motors robotics biotech telecom freight accounting veterinary pediatrics bakery " +
    "florist travel airlines industries enterprises network networks services foundation trust credit union"
  ).split(" "),
);

function runType(value: string): string {
  if (/^@/.test(value) || /#\d{4}$/.test(value)) return "HANDLE";
  if (/\p{N}/u.test(value)) return "ID";
  return "TERM";
}

/** Spans for every unsafe run of `text` outside `claimed` (sorted, non-overlapping). */
export function unsafeRuns(
  text: string,
  claimed: readonly Span[],
  list: AllowList,
  context: AllowContext = {},
): Span[] {
  let tokens: Token[] = [];
  let ctx: AllowContext & { language?: string } = context;
  const claimedEnds = new Set(claimed.map((s) => s.end));
  let at = 0;
  for (const s of [...claimed].sort((a, b) => a.start - b.start)) {
    if (s.start > at) tokensIn(text, at, s.start, tokens);
    at = Math.max(at, s.end);
  }
  tokensIn(text, at, text.length, tokens);
  ctx = withLanguage(tokens, list, ctx);
  if (ctx.foreign) tokens = segmentRuns(tokens, ctx.language!);

  const out: Span[] = [];
  let run: { start: number; end: number } | undefined;
  const flush = () => {
    if (!run) return;
    const value = text.slice(run.start, run.end);
    out.push({ type: runType(value), start: run.start, end: run.end, value, score: 0.3 });
    run = undefined;
  };
  for (const [i, t] of tokens.entries()) {
    const core = list.core;
    if (
      core &&
      /^\p{Script=Latin}+$/u.test(t.text) &&
      inNamePosition(
        text,
        tokens,
        i,
        (w) => core.has(w),
        (w) => core.has(w),
      )
    ) {
      if (run && /^[ \t]{0,2}$/.test(text.slice(run.end, t.start))) run.end = t.end;
      else {
        flush();
        run = { start: t.start, end: t.end };
      }
      continue;
    }
    // After an unsafe run or a replaced span ("<PERSON_1> insurance", "<TERM_1> CRM").
    const afterClaim = claimedEnds.has(t.start - 1) && /^[ \t]$/.test(text[t.start - 1]!);
    const joined = afterClaim || (run !== undefined && /^[ \t]{1,2}$/.test(text.slice(run.end, t.start)));
    // An organisation word or an acronym right after an unsafe run belongs to the name.
    const partOfName = joined && (ORG_SUFFIX.has(t.text.toLowerCase()) || /^\p{Lu}{2,6}$/u.test(t.text));
    if (!partOfName && isSafe(text, t, list, ctx)) {
      flush();
      continue;
    }
    let end = t.end;
    // "Rachel's place": the possessive stays readable.
    if (/['’]s$/i.test(t.text) && t.text.length > 3) end -= 2;
    if (run && /^(?:[ \t]{0,2}|[ \t]*[&+][ \t]*)$/.test(text.slice(run.end, t.start))) run.end = end;
    else {
      flush();
      run = { start: t.start, end };
    }
  }
  flush();
  return out;
}

const NO_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** Adds the common words of the language the prompt's non-English words are in, if any. */
function withLanguage(
  tokens: Token[],
  list: AllowList,
  ctx: AllowContext,
): AllowContext & { language?: string } {
  const foreign = tokens
    .map((t) => t.text.toLowerCase())
    .filter((w) => !list.words.has(w) && !/^\p{N}/u.test(w));
  if (foreign.length === 0) return ctx;
  const language = detectLanguage(foreign);
  return language ? { ...ctx, foreign: languageVocabulary(language), language } : ctx;
}

const segmenters = new Map<string, Intl.Segmenter>();
/** Runs of scripts written without spaces, cut into words (ICU's dictionaries). */
function segmentRuns(tokens: Token[], language: string): Token[] {
  if (!tokens.some((t) => NO_SPACES.test(t.text))) return tokens;
  let seg = segmenters.get(language);
  if (!seg) {
    seg = new Intl.Segmenter(language, { granularity: "word" });
    segmenters.set(language, seg);
  }
  const out: Token[] = [];
  for (const t of tokens) {
    if (!NO_SPACES.test(t.text)) {
      out.push(t);
      continue;
    }
    for (const s of seg.segment(t.text))
      if (s.isWordLike)
        out.push({ start: t.start + s.index, end: t.start + s.index + s.segment.length, text: s.segment });
  }
  return out;
}

/**
 * A word of a script without spaces that ICU segments differently from the frequency list
 * ("我的" = "我" + "的", "です" = "で" + "す"): safe when it splits into listed words in which
 * every single character is itself a listed word written in kana or a grammatical particle
 * (at most 4 characters per piece). Names (周婷) rarely split into listed words that way.
 */
function knownPieces(word: string, vocab: ReadonlySet<string>): boolean {
  const n = word.length;
  const ok = new Uint8Array(n + 1);
  ok[0] = 1;
  for (let i = 1; i <= n; i++)
    for (let k = 1; k <= Math.min(4, i) && !ok[i]; k++) {
      if (!ok[i - k]) continue;
      const piece = word.slice(i - k, i);
      if (!vocab.has(piece)) continue;
      if (k === 1 && !KANA_OR_PARTICLE.test(piece)) continue;
      ok[i] = 1;
    }
  return ok[n] === 1;
}
const KANA_OR_PARTICLE =
  /^(?:[\p{Script=Hiragana}\p{Script=Katakana}]|[的了是我你他她它们不在有这那吗呢吧啊也都就和])$/u;
