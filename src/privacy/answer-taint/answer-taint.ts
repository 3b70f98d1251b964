import { isPlainWord } from "../detectors/lexicon.js";
import { tokenize } from "../normalize.js";
import { leafValues, TaintIndex } from "../taint-index.js";
import type { AnswerTaintStore, TaintEntry } from "./answer-taint-store.js";

/** Placeholder types of values from earlier runs, as a later prompt shows them. */
export const RESULT_VALUE = "RESULT_VALUE";
export const ANSWER_TEXT = "ANSWER_TEXT";

export const DEFAULT_ANSWER_TAINT_TTL_MS = 24 * 3_600_000;

export interface AnswerTaintOptions {
  store: AnswerTaintStore;
  /** How long a value flm gave stays tainted (`privacy.answerTaintTtl`). Default 24 h. */
  ttlMs?: number;
  /** Subjects whose index is kept in memory (least recently used go first). Default 500. */
  maxCachedSubjects?: number;
  now?: () => number;
}

/** What one run gave its subject. */
export interface RunGift {
  runId: string;
  /** Tool results the run produced (step id, output). */
  results: Array<{ stepId: string; output: unknown }>;
  /** The answer text, when there was one. */
  answer?: string;
  /** The user's own question: an answer that repeats it does not make the user's words tainted. */
  prompt?: string;
}

interface Cached {
  index: TaintIndex;
  cursor: string;
  /** Earliest expiry among the indexed entries: past it, the index is rebuilt without them. */
  expires: number;
}

/**
 * Values a value-free prompt cannot contain by accident and a plan cannot do without: booleans,
 * small numbers and years, bare dates, and single ordinary English words ("shipped", "Rock"). The
 * rest of what a run gave (names, e-mails, totals, ids, free text) stays tainted for its subject.
 */
export function isTaintWorthy(value: string | number | bigint): boolean {
  if (typeof value !== "string") {
    const n = Number(value);
    return !(Number.isInteger(n) && (Math.abs(n) < 1000 || (n >= 1900 && n <= 2100)));
  }
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text))
    return false;
  if (/^-?\d{1,3}$/.test(text) || /^(?:19|20)\d\d$/.test(text)) return false;
  const { tokens } = tokenize(text);
  if (tokens.length === 1 && /^\p{L}+$/u.test(tokens[0]!) && isPlainWord(tokens[0]!)) return false;
  return tokens.length > 0;
}

/** Echoes shorter than this many words are not taken out of an answer (common phrases). */
const ECHO_WORDS = 5;

/**
 * An answer without the stretches that repeat the user's own question ("You asked who … : …"):
 * the user's words are theirs, not flm's. Returns the remaining parts of the answer.
 */
export function withoutEcho(answer: string, prompt: string): string[] {
  if (!answer.trim()) return [];
  const a = tokenize(answer);
  const p = tokenize(prompt).tokens;
  if (p.length === 0) return [answer];
  // A stretch is echoed when it repeats at least ECHO_WORDS consecutive words of the prompt: every
  // run of ECHO_WORDS answer words found in the prompt is marked (their union is every such
  // stretch). One pass over each text: a 20 KB prompt echoed whole must not hold the event loop.
  const grams = new Set<string>();
  for (let i = 0; i + ECHO_WORDS <= p.length; i++) grams.add(p.slice(i, i + ECHO_WORDS).join(" "));
  const echoed = new Uint8Array(a.tokens.length);
  for (let i = 0; i + ECHO_WORDS <= a.tokens.length; i++) {
    if (grams.has(a.tokens.slice(i, i + ECHO_WORDS).join(" "))) echoed.fill(1, i, i + ECHO_WORDS);
  }
  const parts: string[] = [];
  let from = -1;
  for (let k = 0; k <= a.tokens.length; k++) {
    const keep = k < a.tokens.length && echoed[k] === 0;
    if (keep && from < 0) from = k;
    if (!keep && from >= 0) {
      parts.push(answer.slice(a.starts[from]!, a.ends[k - 1]!));
      from = -1;
    }
  }
  return parts;
}

/**
 * Answer taint: what flm gave a subject (a gateway user, or a conversation) stays tainted for it
 * across requests, so quoting an earlier answer (or a chat UI pasting it into a title request)
 * pseudonymizes or blocks it instead of sending it to the cloud. Entries live in an
 * `AnswerTaintStore`; each subject's index is built from them once and then refreshed
 * incrementally, and rebuilt when its earliest entry expires.
 */
export class AnswerTaint {
  private readonly store: AnswerTaintStore;
  private readonly ttlMs: number;
  private readonly maxCached: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, Cached>();

  constructor(options: AnswerTaintOptions) {
    this.store = options.store;
    this.ttlMs = options.ttlMs ?? DEFAULT_ANSWER_TAINT_TTL_MS;
    this.maxCached = options.maxCachedSubjects ?? 500;
    this.now = options.now ?? Date.now;
  }

  /** Records what a run gave `subject`. */
  async record(subject: string, gift: RunGift): Promise<void> {
    const expiresAt = this.now() + this.ttlMs;
    const entries: TaintEntry[] = [];
    const seen = new Set<string>();
    for (const { stepId, output } of gift.results)
      for (const v of leafValues(output)) {
        const value = String(v);
        if (seen.has(value) || !isTaintWorthy(v)) continue;
        seen.add(value);
        entries.push({ value, type: RESULT_VALUE, origin: `${gift.runId}/${stepId}`, expiresAt });
      }
    for (const part of withoutEcho(gift.answer ?? "", gift.prompt ?? ""))
      entries.push({ value: part, type: ANSWER_TEXT, origin: `${gift.runId}/answer`, expiresAt });
    if (entries.length > 0) await this.store.add(subject, entries);
  }

  /** The subject's live tainted values as an index (to pseudonymize prompts and guard egress). */
  async index(subject: string): Promise<TaintIndex> {
    const now = this.now();
    let cached = this.cache.get(subject);
    if (cached) this.cache.delete(subject); // re-inserted: most recently used last
    if (!cached || cached.expires <= now) {
      const { entries, cursor } = await this.store.read(subject, { now });
      cached = { index: new TaintIndex(), cursor, expires: Number.POSITIVE_INFINITY };
      this.addAll(cached, entries);
    } else {
      const { entries, cursor } = await this.store.read(subject, { after: cached.cursor, now });
      this.addAll(cached, entries);
      cached.cursor = cursor;
    }
    this.cache.set(subject, cached);
    while (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value as string);
    return cached.index;
  }

  /** Drops a subject's cached index (e.g. after `store.forget`). */
  evict(subject: string): void {
    this.cache.delete(subject);
  }

  private addAll(cached: Cached, entries: TaintEntry[]): void {
    for (const e of entries) {
      cached.index.add(e.value, {
        type: e.type,
        origin: e.origin,
        value: e.type === ANSWER_TEXT ? undefined : e.value,
      });
      cached.expires = Math.min(cached.expires, e.expiresAt);
    }
  }
}
