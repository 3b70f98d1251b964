import { structuredDetectors } from "./detectors/index.js";
import type { PlaceholderVault } from "./placeholder-vault.js";
import { PolicyBlockedError } from "./privacy-errors.js";
import type { Detector, Span } from "./span.js";
import type { ValueIndex } from "./value-index.js";

export type EntityPolicy = "pseudonymize" | "block" | "allow";

export interface PseudonymizerOptions {
  /** Default: `structuredDetectors()` (no NER; add `createNerDetector()` for names not in the data). */
  detectors?: Detector[];
  /** Sensitive values from the data sources; matches win over generic detectors. */
  valueIndex?: ValueIndex;
  /** Per entity type; unlisted types use `defaultPolicy`. */
  policies?: Record<string, EntityPolicy>;
  /** Default `pseudonymize`. */
  defaultPolicy?: EntityPolicy;
}

export interface PseudonymizeResult {
  text: string;
  /** Placeholders inserted, by entity type. */
  counts: Record<string, number>;
  /** The spans that were replaced (offsets into the original text). */
  spans: Span[];
}

export interface Pseudonymizer {
  /** Throws `PolicyBlockedError` (`PRIVACY_POLICY_BLOCKED`) if a blocked type is present. */
  pseudonymize(text: string, vault: PlaceholderVault): PseudonymizeResult;
  /** All detections after overlap resolution, before policies (for inspection and evaluation). */
  detect(text: string): Span[];
}

/**
 * Dates are what planners filter on ("invoices from 2013"), so generic dates pass by default;
 * dates of birth do not.
 */
export const DEFAULT_POLICIES: Record<string, EntityPolicy> = { DATE_TIME: "allow" };

/** Score of a structured detection (checksum or strict pattern: e-mail, card, IBAN, address). */
const STRUCTURED = 0.9;

/**
 * Overlaps resolved greedily: highest score first, then longest; survivors sorted by position.
 * A structured detection swallows the spans strictly inside it ("maria.keller@acme.de" is one
 * e-mail, not a name and a domain), so no part of it is left in clear.
 */
export function resolveOverlaps(spans: Span[]): Span[] {
  const inside = (a: Span, b: Span) =>
    b.start <= a.start && a.end <= b.end && b.end - b.start > a.end - a.start;
  const outer = spans.filter(
    (a) => !spans.some((b) => (b.score ?? 0.5) >= STRUCTURED && b.end > b.start && inside(a, b)),
  );
  const sorted = outer.sort(
    (a, b) => (b.score ?? 0.5) - (a.score ?? 0.5) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Span[] = [];
  for (const s of sorted) {
    if (s.end <= s.start) continue;
    if (kept.every((k) => s.end <= k.start || s.start >= k.end)) kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}

export function createPseudonymizer(options: PseudonymizerOptions = {}): Pseudonymizer {
  const detectors = options.detectors ?? structuredDetectors();
  const policies = { ...DEFAULT_POLICIES, ...options.policies };
  const defaultPolicy = options.defaultPolicy ?? "pseudonymize";
  const policyOf = (type: string): EntityPolicy => policies[type] ?? defaultPolicy;

  const detect = (text: string): Span[] => {
    const all: Span[] = [];
    if (options.valueIndex) all.push(...options.valueIndex.match(text));
    for (const d of detectors) all.push(...d.detect(text));
    return resolveOverlaps(all);
  };

  return {
    detect,
    pseudonymize(text, vault) {
      const counts: Record<string, number> = {};
      const replace = (source: string, spans: Span[]): string => {
        const blocked = new Map<string, number>();
        for (const s of spans)
          if (policyOf(s.type) === "block") blocked.set(s.type, (blocked.get(s.type) ?? 0) + 1);
        const [first] = blocked;
        if (first) throw new PolicyBlockedError(first[0], first[1]);
        let out = "";
        let at = 0;
        for (const s of spans) {
          if (policyOf(s.type) !== "pseudonymize") continue;
          out += source.slice(at, s.start) + vault.placeholderFor(s.type, s.original ?? s.value);
          at = s.end;
          counts[s.type] = (counts[s.type] ?? 0) + 1;
        }
        return out + source.slice(at);
      };
      const spans = detect(text);
      const replaced = spans.filter((s) => policyOf(s.type) === "pseudonymize");
      let out = replace(text, spans);
      // What is left must be what the egress guard accepts: the guard finds declared values exactly
      // this way, so a value uncovered by a replacement (a new neighbour, a lost overlap) goes too.
      for (let round = 0; options.valueIndex && round < 3; round++) {
        const left = options.valueIndex.match(out, { typos: false });
        if (!left.some((s) => policyOf(s.type) === "pseudonymize" || policyOf(s.type) === "block")) break;
        out = replace(out, resolveOverlaps(left));
      }
      return { text: out, counts, spans: replaced };
    },
  };
}
