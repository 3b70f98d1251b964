import type { SensitiveValue } from "../tools/tool-source.js";
import { isKnownSpelling } from "./detectors/lexicon.js";
import { type LexedTokens, lexText, RAW } from "./lexed-tokens.js";
import { tokenize } from "./normalize.js";
import type { EgressHit } from "./privacy-errors.js";
import type { Detector, Span } from "./span.js";
import { leftmostLongest } from "./taint-index.js";
import { type ValueMatch, ValueMatcher } from "./value-matcher.js";

export interface ValueIndexOptions {
  /** Values whose normalized form is shorter than this are not indexed (too ambiguous). Default 3. */
  minLength?: number;
  /** Catch declared names typed with one typo (names of five or more letters). Default true. */
  typos?: boolean;
}

export interface MatchOptions {
  /** Also find declared names with one typo (default: the index's `typos` option). */
  typos?: boolean;
}

interface Entry {
  type: string;
  origin: string;
  /** The value as declared: what a placeholder for any form of it restores to. */
  value: string;
}

const entityTypes = new Map<string, string>();

/** Placeholder-safe entity type: upper snake case (`customers.name` → `CUSTOMERS_NAME`). */
export function entityType(type: string): string {
  const hit = entityTypes.get(type);
  if (hit !== undefined) return hit;
  if (entityTypes.size > 10_000) entityTypes.clear();
  const result = upperSnake(type);
  entityTypes.set(type, result);
  return result;
}

function upperSnake(type: string): string {
  const t = type
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase();
  return /^[A-Z]/.test(t) ? t : `V_${t || "VALUE"}`;
}

/** Types whose values are people's names: typos of these are caught. */
const NAME_TYPE = /PERSON|NAME/;

/**
 * Data-aware matching: the values of columns/fields marked sensitive are indexed locally, and any
 * mention of them in a prompt is found: case-, accent- and punctuation-insensitive, whole words,
 * multi-word values as a unit ("Maria Keller" matches "maria KELLER", not "Mariah Kellerman"),
 * identifiers in any grouping ("999123456" is "999-12-3456"), invisible characters ignored, and
 * names with one typo ("Maria Kelle"). A span stands for the declared value: its placeholder
 * restores to the value as stored, whatever form was typed (except a typo, restored as typed).
 */
export class ValueIndex {
  private readonly matcher = new ValueMatcher<Entry>();
  private readonly minLength: number;
  private readonly typos: boolean;

  constructor(options: ValueIndexOptions = {}) {
    this.minLength = options.minLength ?? 3;
    this.typos = options.typos ?? true;
  }

  get size(): number {
    return this.matcher.size;
  }

  /** Returns false when the value was skipped (too short, no letters/digits) or already indexed. */
  add(value: SensitiveValue): boolean {
    const { tokens } = tokenize(value.value);
    if (tokens.join(" ").length < this.minLength) return false;
    const type = entityType(value.type);
    return this.matcher.addValue(
      value.value,
      tokens,
      { type, origin: value.origin, value: value.value },
      { typos: this.typos && NAME_TYPE.test(type) },
    );
  }

  /** Indexes everything a source yields (`source.sensitiveValues()`); returns how many were added. */
  async addAll(values: Iterable<SensitiveValue> | AsyncIterable<SensitiveValue>): Promise<number> {
    let added = 0;
    for await (const v of values) if (this.add(v)) added++;
    return added;
  }

  /** Mentions of indexed values in a text, as spans covering each whole value, leftmost-longest. */
  match(text: string, options: MatchOptions = {}): Span[] {
    const spans: Span[] = [];
    const typos = options.typos ?? this.typos;
    this.matcher.scan(lexText(text), { typos, typoAllowed: (w) => !isKnownSpelling(w) }, (_view, m) =>
      spans.push(this.span(text, m)),
    );
    return leftmostLongest(spans);
  }

  private span(text: string, m: ValueMatch<Entry>): Span {
    const [start, end] = coverValue(text, m.start, m.end, m.meta.value);
    const span: Span = { type: m.meta.type, start, end, value: text.slice(start, end), score: 1 };
    if (m.form !== "typo") span.original = m.meta.value;
    return span;
  }

  /** Egress-guard view: hits per view of a body lexed by `lexBody`. */
  scanLexed(body: LexedTokens): [raw: EgressHit[], decoded: EgressHit[]] {
    const raw: EgressHit[] = [];
    const decoded: EgressHit[] = [];
    this.matcher.scan(body, {}, (view, m) => {
      (view === RAW ? raw : decoded).push({ type: m.meta.type, origin: m.meta.origin });
    });
    return [raw, decoded];
  }

  /** Which indexed types/origins occur in a plain text (never the values). */
  scan(text: string): EgressHit[] {
    return this.scanLexed(lexText(text))[0];
  }

  asDetector(): Detector {
    return { name: "value-index", detect: (text) => this.match(text) };
  }
}

/**
 * Widens a match to the declared value's own punctuation around its words ("(402) 555-0142" takes
 * its "("), and keeps parentheses balanced, so a placeholder never leaves half of a value behind.
 */
export function coverValue(text: string, start: number, end: number, declared: string): [number, number] {
  const lead = /^[^\p{L}\p{N}]*/u.exec(declared.trim())![0];
  if (lead && text.slice(start - lead.length, start) === lead) start -= lead.length;
  const trail = /[^\p{L}\p{N}]*$/u.exec(declared.trim())![0];
  if (trail && text.slice(end, end + trail.length) === trail) end += trail.length;
  const inside = text.slice(start, end);
  const opens = inside.split("(").length - 1;
  const closes = inside.split(")").length - 1;
  if (closes > opens && text[start - 1] === "(") start--;
  if (opens > closes && text[end] === ")") end++;
  return [start, end];
}
