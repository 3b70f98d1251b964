import { type LexedTokens, lexText, RAW } from "./lexed-tokens.js";
import { tokenize } from "./normalize.js";
import type { PlaceholderVault } from "./placeholder-vault.js";
import type { EgressHit } from "./privacy-errors.js";
import type { Span } from "./span.js";
import { ValueMatcher } from "./value-matcher.js";

export interface TaintLabel {
  type: string;
  /** A step id (`s2`), `placeholder`, `canary`, or any short non-sensitive tag. */
  origin: string;
  /** The value itself, for `match` to restore a placeholder to (whole values only, never windows). */
  value?: string;
}

/** Public text a scan leaves alone (see `TaintIndex.exempt`): tells whether a value's key occurs in it. */
export interface PublicText {
  exempted(key: string): boolean;
}

/** Text known to be public (tool schemas, planner instructions), as normalized tokens. */
export class PublicTextSet implements PublicText {
  private text = " ";

  add(text: string): void {
    this.text += `${tokenize(text).tokens.join(" ")} `;
  }

  exempted(key: string): boolean {
    return this.text.length > 1 && this.text.includes(` ${key} `);
  }
}

/** Every string and number of a tool result (not keys), dates as ISO text, each once. */
export function leafValues(output: unknown): Array<string | number | bigint> {
  const out: Array<string | number | bigint> = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (typeof v === "string" || typeof v === "bigint") out.push(v);
    else if (typeof v === "number") {
      if (Number.isFinite(v)) out.push(v);
    } else if (v instanceof Date) {
      if (!Number.isNaN(v.getTime())) out.push(v.toISOString());
    } else if (v !== null && typeof v === "object" && !seen.has(v)) {
      seen.add(v);
      for (const item of Array.isArray(v) ? v : Object.values(v)) visit(item);
    }
  };
  visit(output);
  return out;
}

export interface TaintIndexOptions {
  /** Values whose normalized form is shorter than this are ignored. Default 4. */
  minLength?: number;
  /** Long strings are indexed as overlapping windows of this many tokens. Default 8. */
  window?: number;
}

/** Anything the egress guard can scan a body against (`TaintIndex`, `ValueIndex`). */
export interface TaintScanner {
  /**
   * Hits in the raw and in the decoded view of a body lexed once by `lexBody` (a plain text lexed
   * by `lexText` has only the raw view).
   */
  scanLexed(body: LexedTokens): [raw: EgressHit[], decoded: EgressHit[]];
}

const TRIVIAL = new Set(["true", "false", "null", "undefined", "nan", "none", "yes", "no"]);

/**
 * Everything that must never leave: tool results of this conversation, the originals behind
 * placeholders, canaries. Values are normalized (case, accents, punctuation-insensitive word tokens),
 * and matched as whole-token sequences. Short strings and trivial values are ignored to keep false
 * positives down; long strings are indexed as sliding windows so a quoted fragment is still caught.
 */
export class TaintIndex implements TaintScanner {
  private readonly matcher = new ValueMatcher<TaintLabel>();
  private readonly minLength: number;
  private readonly window: number;
  private readonly exemptText = new PublicTextSet();

  constructor(options: TaintIndexOptions = {}) {
    this.minLength = options.minLength ?? 4;
    this.window = options.window ?? 8;
  }

  get size(): number {
    return this.matcher.size;
  }

  /** Taints one string or number. Returns how many patterns were added (0 if ignored). */
  add(value: string | number | bigint, label: TaintLabel): number {
    const text = typeof value === "string" ? value : String(value);
    const { tokens } = tokenize(text);
    if (tokens.length === 0) return 0;
    if (tokens.length === 1 && TRIVIAL.has(tokens[0]!)) return 0;
    if (tokens.length <= this.window) {
      if (tokens.join(" ").length < this.minLength) return 0;
      return this.matcher.addValue(text, tokens, label) ? 1 : 0;
    }
    const windowLabel: TaintLabel = { type: label.type, origin: label.origin };
    let added = 0;
    for (let i = 0; i + this.window <= tokens.length; i++) {
      if (this.matcher.addTokens(tokens.slice(i, i + this.window), windowLabel)) added++;
    }
    return added;
  }

  /** Taints every string and number (not keys) of a tool result, labelled with the step id. */
  addToolResult(stepId: string, output: unknown, type = "TOOL_RESULT"): number {
    let added = 0;
    for (const v of leafValues(output)) added += this.add(v, { type, origin: stepId });
    return added;
  }

  /** Taints the original of every placeholder in the vault (origin `placeholder`). */
  addVault(vault: PlaceholderVault): number {
    let added = 0;
    for (const e of vault.entries()) added += this.add(e.value, { type: e.type, origin: "placeholder" });
    return added;
  }

  /**
   * Text known to be public (tool schemas, the system prompt): a hit whose whole value also occurs in
   * exempt text is not reported. Use sparingly; it is a hole by design.
   */
  exempt(text: string): void {
    this.exemptText.add(text);
  }

  /** Hits in a plain text. */
  scan(text: string): EgressHit[] {
    return this.scanLexed(lexText(text))[0];
  }

  /**
   * Hits in each view of a lexed body. Values that occur in this index's public text, or in
   * `publicText` (another index's, e.g. a conversation's tool specs), are not reported.
   */
  scanLexed(body: LexedTokens, publicText?: PublicText): [raw: EgressHit[], decoded: EgressHit[]] {
    const raw: EgressHit[] = [];
    const decoded: EgressHit[] = [];
    this.matcher.scan(body, {}, (view, m) => {
      const key = this.matcher.key(m.entry);
      if (this.exempted(key) || publicText?.exempted(key)) return;
      (view === RAW ? raw : decoded).push({ type: m.meta.type, origin: m.meta.origin });
    });
    return [raw, decoded];
  }

  /**
   * Mentions of tainted values in a text, as spans for the pseudonymizer, leftmost-longest. A span
   * over a whole value restores to the value as recorded; over part of a long text, as typed.
   */
  match(text: string, publicText?: PublicText): Span[] {
    const spans: Span[] = [];
    this.matcher.scan(lexText(text), {}, (_view, m) => {
      const key = this.matcher.key(m.entry);
      if (this.exempted(key) || publicText?.exempted(key)) return;
      const span: Span = {
        type: m.meta.type,
        start: m.start,
        end: m.end,
        value: text.slice(m.start, m.end),
        score: 0.95,
      };
      if (m.meta.value !== undefined) span.original = m.meta.value;
      spans.push(span);
    });
    return leftmostLongest(spans);
  }

  /** Whether `key` (a value's normalized tokens) occurs in this index's public text. */
  exempted(key: string): boolean {
    return this.exemptText.exempted(key);
  }
}

/** Non-overlapping spans: the leftmost, and of those the longest. */
export function leftmostLongest(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let end = -1;
  return spans.filter((s) => {
    if (s.start < end) return false;
    end = s.end;
    return true;
  });
}
