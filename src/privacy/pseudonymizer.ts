import { structuredDetectors } from "./detectors/index.js";
import { laterMentions } from "./later-mentions.js";
import type { PlaceholderVault } from "./placeholder-vault.js";
import { UNALLOWABLE } from "./entity-types.js";
import { PolicyBlockedError, TaintedPromptError } from "./privacy-errors.js";
import type { Detector, Span } from "./span.js";
import type { MatchOptions, ValueIndex } from "./value-index.js";

export type EntityPolicy = "pseudonymize" | "block" | "allow";

export interface PseudonymizerOptions {
  /** Default: `structuredDetectors()` (no NER; add `createNerDetector()` for names not in the data). */
  detectors?: Detector[];
  /** Sensitive values from the data sources (a `ValueIndex`); matches win over generic detectors. */
  valueIndex?: Pick<ValueIndex, "match">;
  /** Per entity type; unlisted types use `defaultPolicy`. */
  policies?: Record<string, EntityPolicy>;
  /** Default `pseudonymize`. */
  defaultPolicy?: EntityPolicy;
  /**
   * A last stage over what the detectors left (strict mode's allow-list): extra spans for text
   * outside `detected`. Their types get policies like any other.
   */
  complete?: (text: string, detected: readonly Span[], context: PseudonymizeContext) => Span[];
}

/**
 * Per-call knowledge: words public for this conversation (bound tool specs, allow terms), and more
 * values to find (what flm gave this user earlier).
 */
export interface PseudonymizeContext {
  publicTerms?: ReadonlySet<string>;
  /** More values to find for this call (e.g. `TaintIndex.match`); found like declared values. */
  extra?: readonly SpanSource[];
  /** Spans found elsewhere (the local-model review), merged with the detectors' (theirs win overlaps). */
  extraSpans?: readonly Span[];
  /**
   * What some of the detectors already found in this text (NER run on a worker thread): used in
   * their place, in their position, so the result is the same as detecting here.
   */
  detected?: ReadonlyMap<Detector, readonly Span[]>;
}

export interface PseudonymizeResult {
  text: string;
  /** Placeholders inserted, by entity type. */
  counts: Record<string, number>;
  /** The spans that were replaced (offsets into the original text). */
  spans: Span[];
}

/** More values to find, for one call (e.g. what flm gave this user earlier: `TaintIndex.match`). */
export interface SpanSource {
  match(text: string): Span[];
}

export interface Pseudonymizer {
  /**
   * Throws `PolicyBlockedError` (`PRIVACY_POLICY_BLOCKED`) if a blocked type is present, and
   * `TaintedPromptError` (`PROMPT_TAINTED`) for blocked values quoted from earlier answers.
   */
  pseudonymize(text: string, vault: PlaceholderVault, context?: PseudonymizeContext): PseudonymizeResult;
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
  const inside = structuredContainment(spans);
  const outer = spans.filter((a) => !inside(a));
  const sorted = outer.sort(
    (a, b) => (b.score ?? 0.5) - (a.score ?? 0.5) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  // The survivors so far, by position (they never overlap): a candidate can only overlap the last
  // one that starts before it ends. n log n, so a long prompt's thousands of spans stay cheap.
  const kept: Span[] = [];
  for (const s of sorted) {
    if (s.end <= s.start) continue;
    const at = firstStartingAtOrAfter(kept, s.end);
    const before = kept[at - 1];
    if (before && before.end > s.start) continue;
    kept.splice(at, 0, s);
  }
  return kept;
}

/** Index of the first span in `sorted` (by start) whose start is `>= start`. */
function firstStartingAtOrAfter(sorted: readonly Span[], start: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether a span lies inside a longer structured detection (score >= STRUCTURED). A structured
 * span that starts at or before `a` and ends at or after it contains it; it is longer unless it
 * has `a`'s very extent, so: one that starts before `a` and reaches its end, or one that starts
 * with `a` and ends after it.
 */
function structuredContainment(spans: readonly Span[]): (a: Span) => boolean {
  const structured = spans
    .filter((b) => (b.score ?? 0.5) >= STRUCTURED && b.end > b.start)
    .sort((x, y) => x.start - y.start);
  if (structured.length === 0) return () => false;
  // reach[i]: the furthest end among structured[0..i]; sameStart: the furthest end per start.
  const reach: number[] = [];
  const sameStart = new Map<number, number>();
  for (const b of structured) {
    reach.push(Math.max(reach.at(-1) ?? -1, b.end));
    sameStart.set(b.start, Math.max(sameStart.get(b.start) ?? -1, b.end));
  }
  return (a) => {
    const before = firstStartingAtOrAfter(structured, a.start);
    return (before > 0 && reach[before - 1]! >= a.end) || (sameStart.get(a.start) ?? -1) > a.end;
  };
}

export function createPseudonymizer(options: PseudonymizerOptions = {}): Pseudonymizer {
  const detectors = options.detectors ?? structuredDetectors();
  const policies = { ...DEFAULT_POLICIES, ...options.policies };
  const defaultPolicy = options.defaultPolicy ?? "pseudonymize";
  // Values flm gave the user earlier are never allowed out, whatever the default policy.
  const policyOf = (type: string): EntityPolicy => {
    const policy = policies[type] ?? defaultPolicy;
    return policy === "allow" && UNALLOWABLE.has(type) ? "pseudonymize" : policy;
  };

  // Values the sources declare sensitive: the egress guard refuses them whatever the policy, so
  // "allow" cannot let them out: they are replaced (or blocked, if their type is blocked).
  const declared = new WeakSet<Span>();
  const policyFor = (span: Span): EntityPolicy => {
    const policy = policyOf(span.type);
    return policy === "allow" && declared.has(span) ? "pseudonymize" : policy;
  };
  const declaredMatches = (text: string, o?: MatchOptions): Span[] => {
    const spans = options.valueIndex?.match(text, o) ?? [];
    for (const s of spans) declared.add(s);
    return spans;
  };

  const detect = (
    text: string,
    known: Iterable<{ type: string; value: string }> = [],
    extra: readonly SpanSource[] = [],
    extraSpans: readonly Span[] = [],
    detected?: ReadonlyMap<Detector, readonly Span[]>,
  ): Span[] => {
    const all: Span[] = [...extraSpans];
    if (options.valueIndex) all.push(...declaredMatches(text));
    for (const source of extra) all.push(...source.match(text));
    for (const d of detectors) all.push(...(detected?.get(d) ?? d.detect(text)));
    const found = resolveOverlaps(all);
    // Every other mention of a value found here or earlier in the conversation.
    const mentions = laterMentions(text, [...known, ...found]);
    return mentions.length > 0 ? resolveOverlaps([...found, ...mentions]) : found;
  };

  return {
    detect: (text) => detect(text),
    pseudonymize(text, vault, context = {}) {
      const counts: Record<string, number> = {};
      const replace = (source: string, spans: Span[]): string => {
        const blocked = new Map<string, number>();
        for (const s of spans)
          if (policyFor(s) === "block") blocked.set(s.type, (blocked.get(s.type) ?? 0) + 1);
        const [first] = blocked;
        if (first)
          throw UNALLOWABLE.has(first[0])
            ? new TaintedPromptError(first[0], first[1])
            : new PolicyBlockedError(first[0], first[1]);
        let out = "";
        let at = 0;
        for (const s of spans) {
          if (policyFor(s) !== "pseudonymize") continue;
          out += source.slice(at, s.start) + vault.placeholderFor(s.type, s.original ?? s.value);
          at = s.end;
          counts[s.type] = (counts[s.type] ?? 0) + 1;
        }
        return out + source.slice(at);
      };
      const extra = context.extra ?? [];
      let spans = detect(text, vault.entries(), extra, context.extraSpans, context.detected);
      if (options.complete) {
        spans = [...spans, ...options.complete(text, spans, context)].sort((a, b) => a.start - b.start);
      }
      const replaced = spans.filter((s) => policyFor(s) === "pseudonymize");
      let out = replace(text, spans);
      // What is left must be what the egress guard accepts: the guard finds declared and tainted
      // values exactly this way, so a value uncovered by a replacement (a new neighbour, a lost
      // overlap) goes too.
      for (let round = 0; (options.valueIndex || extra.length > 0) && round < 3; round++) {
        const left = [...declaredMatches(out, { typos: false }), ...extra.flatMap((x) => x.match(out))];
        if (!left.some((s) => policyFor(s) !== "allow")) break;
        out = replace(out, resolveOverlaps(left));
      }
      return { text: out, counts, spans: replaced };
    },
  };
}
