import { normalizeValue } from "./normalize.js";
import { UnknownPlaceholderError } from "./privacy-errors.js";

export interface VaultEntry {
  placeholder: string;
  type: string;
  /** The original value, as first seen. */
  value: string;
}

/** Exact placeholders the vault issues: `<PERSON_1>`, `<CUSTOMERS_EMAIL_12>`. */
const EXACT = /<([A-Z][A-Z0-9_]*)_(\d+)>/g;
/** Anything a planner might have meant as a placeholder, including garbled ones (`<email_1>`, `<EMAIL 1>`, `<EMAIL1>`). */
const LOOSE = /<\s*[A-Za-z][A-Za-z0-9_]{2,}?[_ -]?\d+\s*>/g;

const keyOf = (type: string, value: string) => `${type}\u0000${normalizeValue(value) || value}`;

/**
 * Per-conversation mapping between sensitive values and typed placeholders. The same value (compared
 * case- and accent-insensitively, per type) always gets the same placeholder, across turns.
 * Lives only in local memory; never serialize it into a cloud request.
 */
export class PlaceholderVault {
  private readonly byKey = new Map<string, VaultEntry>();
  private readonly byPlaceholder = new Map<string, VaultEntry>();
  private readonly counters = new Map<string, number>();

  get size(): number {
    return this.byPlaceholder.size;
  }

  /**
   * Takes over placeholders issued earlier in the conversation (by this process or another
   * replica), in issue order. One whose placeholder or value is already known here is skipped;
   * later placeholders of a type count on from the highest number taken over.
   */
  adopt(entries: readonly VaultEntry[]): void {
    for (const e of entries) {
      const key = keyOf(e.type, e.value);
      if (this.byPlaceholder.has(e.placeholder) || this.byKey.has(key)) continue;
      if (e.placeholder !== `<${e.type}_${/_(\d+)>$/.exec(e.placeholder)?.[1]}>`) continue;
      const entry: VaultEntry = { placeholder: e.placeholder, type: e.type, value: e.value };
      this.byKey.set(key, entry);
      this.byPlaceholder.set(entry.placeholder, entry);
      const n = Number(/_(\d+)>$/.exec(e.placeholder)![1]);
      this.counters.set(e.type, Math.max(this.counters.get(e.type) ?? 0, n));
    }
  }

  /** The placeholder for `value` of `type`, issuing a new one on first sight. */
  placeholderFor(type: string, value: string): string {
    const key = keyOf(type, value);
    const existing = this.byKey.get(key);
    if (existing) return existing.placeholder;
    const n = (this.counters.get(type) ?? 0) + 1;
    this.counters.set(type, n);
    const entry: VaultEntry = { placeholder: `<${type}_${n}>`, type, value };
    this.byKey.set(key, entry);
    this.byPlaceholder.set(entry.placeholder, entry);
    return entry.placeholder;
  }

  /** The original behind a placeholder, or undefined. */
  lookup(placeholder: string): string | undefined {
    return this.byPlaceholder.get(placeholder)?.value;
  }

  entries(): VaultEntry[] {
    return [...this.byPlaceholder.values()];
  }

  /**
   * Deep copy of `value` with every known placeholder inside strings replaced by its original.
   * A string that is exactly one placeholder becomes the original string. Unknown placeholders are
   * left as they are; call `unknownPlaceholders` (or `assertKnown`) first to reject them.
   */
  restore<T>(value: T): T {
    return this.restoreAny(value) as T;
  }

  private restoreAny(value: unknown): unknown {
    if (typeof value === "string") {
      if (value.indexOf("<") === -1) return value;
      return value.replace(EXACT, (match) => this.byPlaceholder.get(match)?.value ?? match);
    }
    if (Array.isArray(value)) return value.map((v) => this.restoreAny(v));
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.restoreAny(v);
      return out;
    }
    return value;
  }

  /** Placeholder-looking tokens in strings (deep) that this vault never issued, deduplicated. */
  unknownPlaceholders(value: unknown): string[] {
    const found = new Set<string>();
    const visit = (v: unknown): void => {
      if (typeof v === "string") {
        if (v.indexOf("<") === -1) return;
        for (const m of v.matchAll(LOOSE)) if (!this.byPlaceholder.has(m[0])) found.add(m[0]);
      } else if (Array.isArray(v)) v.forEach(visit);
      else if (v !== null && typeof v === "object") Object.values(v).forEach(visit);
    };
    visit(value);
    return [...found];
  }

  /** Throws `UnknownPlaceholderError` (code `PLACEHOLDER_UNKNOWN`) when `value` uses invented placeholders. */
  assertKnown(value: unknown): void {
    const unknown = this.unknownPlaceholders(value);
    if (unknown.length > 0) throw new UnknownPlaceholderError(unknown);
  }
}
