import type { SensitiveValue } from "../tools/tool-source.js";
import { type LexedTokens, lexText, RAW, type Tokens, tokenize } from "./normalize.js";
import type { EgressHit } from "./privacy-errors.js";
import type { Detector, Span } from "./span.js";
import { TokenMatcher } from "./token-matcher.js";

export interface ValueIndexOptions {
  /** Values whose normalized form is shorter than this are not indexed (too ambiguous). Default 3. */
  minLength?: number;
}

const GLUED_BEFORE = /[\p{L}\p{N}][.@_/-]$/u;
const GLUED_AFTER = /^[.@_/-][\p{L}\p{N}]/u;

interface Entry {
  type: string;
  origin: string;
}

/** Placeholder-safe entity type: upper snake case (`customers.name` → `CUSTOMERS_NAME`). */
export function entityType(type: string): string {
  const t = type
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase();
  return /^[A-Z]/.test(t) ? t : `V_${t || "VALUE"}`;
}

/**
 * Data-aware matching: the values of columns/fields marked sensitive are indexed locally, and any
 * mention of them in a prompt is found — case- and accent-insensitive, whole words only, multi-word
 * values as a unit ("Maria Keller" matches "maria KELLER", not "Mariah Kellerman").
 */
export class ValueIndex {
  private readonly matcher = new TokenMatcher<Entry>();
  private readonly minLength: number;

  constructor(options: ValueIndexOptions = {}) {
    this.minLength = options.minLength ?? 3;
  }

  get size(): number {
    return this.matcher.size;
  }

  /** Returns false when the value was skipped (too short, no letters/digits) or already indexed. */
  add(value: SensitiveValue): boolean {
    const { tokens } = tokenize(value.value);
    if (tokens.join(" ").length < this.minLength) return false;
    return this.matcher.add(tokens, { type: entityType(value.type), origin: value.origin });
  }

  /** Indexes everything a source yields (`source.sensitiveValues()`); returns how many were added. */
  async addAll(values: Iterable<SensitiveValue> | AsyncIterable<SensitiveValue>): Promise<number> {
    let added = 0;
    for await (const v of values) if (this.add(v)) added++;
    return added;
  }

  match(text: string): Span[] {
    // Short prompts: plain tokens are cheapest. Longer: same result without a string per token.
    if (text.length < 512) return this.matchTokens(text, tokenize(text));
    const lexed = lexText(text);
    const spans: Span[] = [];
    this.matcher.scanIds(this.matcher.idsOf(lexed), lexed.count, (first, last, entry) => {
      const span = this.span(text, lexed.start[first]!, lexed.end[last]!, this.matcher.meta(entry));
      if (span) spans.push(span);
    });
    return spans;
  }

  matchTokens(text: string, tokens: Tokens): Span[] {
    const spans: Span[] = [];
    for (const m of this.matcher.scan(tokens)) {
      const span = this.span(text, tokens.starts[m.first]!, tokens.ends[m.last]!, m.meta);
      if (span) spans.push(span);
    }
    return spans;
  }

  private span(text: string, start: number, end: number, meta: Entry): Span | undefined {
    // Whole words: "maria.keller@acme.de" is an email, not a mention of "Maria Keller".
    if (GLUED_BEFORE.test(text.slice(Math.max(0, start - 2), start))) return undefined;
    if (GLUED_AFTER.test(text.slice(end, end + 2))) return undefined;
    return { type: meta.type, start, end, value: text.slice(start, end), score: 1 };
  }

  /** Egress-guard fast path: hits per view of a body lexed by `lexBody`. */
  scanLexed(body: LexedTokens): [raw: EgressHit[], decoded: EgressHit[]] {
    const raw: EgressHit[] = [];
    const decoded: EgressHit[] = [];
    this.matcher.scanViews(body, (view, entry) => {
      const meta = this.matcher.meta(entry);
      (view === RAW ? raw : decoded).push({ type: meta.type, origin: meta.origin });
    });
    return [raw, decoded];
  }

  /** Egress-guard view: which indexed types/origins occur in the text (never the values). */
  scanTokens(tokens: Tokens): EgressHit[] {
    return this.matcher.scan(tokens).map((m) => ({ type: m.meta.type, origin: m.meta.origin }));
  }

  asDetector(): Detector {
    return { name: "value-index", detect: (text) => this.match(text) };
  }
}
