import { type LexedTokens, lexText, RAW } from "./lexed-tokens.js";
import { tokenize } from "./normalize.js";
import type { PlaceholderVault } from "./placeholder-vault.js";
import type { EgressHit } from "./privacy-errors.js";
import { ValueMatcher } from "./value-matcher.js";

export interface TaintLabel {
  type: string;
  /** A step id (`s2`), `placeholder`, `canary`, or any short non-sensitive tag. */
  origin: string;
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
  private exemptText = " ";

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
    let added = 0;
    for (let i = 0; i + this.window <= tokens.length; i++) {
      if (this.matcher.addTokens(tokens.slice(i, i + this.window), label)) added++;
    }
    return added;
  }

  /** Taints every string and number (not keys) of a tool result, labelled with the step id. */
  addToolResult(stepId: string, output: unknown, type = "TOOL_RESULT"): number {
    let added = 0;
    const seen = new Set<unknown>();
    const visit = (v: unknown): void => {
      if (typeof v === "string" || typeof v === "number" || typeof v === "bigint") {
        if (typeof v === "number" && !Number.isFinite(v)) return;
        added += this.add(v, { type, origin: stepId });
      } else if (v instanceof Date) {
        added += this.add(v.toISOString(), { type, origin: stepId });
      } else if (v !== null && typeof v === "object" && !seen.has(v)) {
        seen.add(v);
        for (const item of Array.isArray(v) ? v : Object.values(v)) visit(item);
      }
    };
    visit(output);
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
    this.exemptText += tokenize(text).tokens.join(" ") + " ";
  }

  /** Hits in a plain text. */
  scan(text: string): EgressHit[] {
    return this.scanLexed(lexText(text))[0];
  }

  scanLexed(body: LexedTokens): [raw: EgressHit[], decoded: EgressHit[]] {
    const raw: EgressHit[] = [];
    const decoded: EgressHit[] = [];
    this.matcher.scan(body, {}, (view, m) => {
      if (this.exempted(this.matcher.key(m.entry))) return;
      (view === RAW ? raw : decoded).push({ type: m.meta.type, origin: m.meta.origin });
    });
    return [raw, decoded];
  }

  private exempted(key: string): boolean {
    return this.exemptText.length > 1 && this.exemptText.includes(` ${key} `);
  }
}
