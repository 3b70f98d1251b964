/**
 * What left for the cloud in one run, checked independently of the guard that let it out: every
 * body sent is scanned against the privacy layer's index of sensitive values and the configured
 * canaries. Both counts must be 0; the report names types, never values.
 */
import type { EgressRecord } from "../core/egress-record.js";
import type { ValueIndex } from "../privacy/value-index.js";
import { scanBody, scanText } from "../privacy/scan-body.js";
import { TaintIndex } from "../privacy/taint-index.js";

export interface EgressCheck {
  requests: number;
  bytes: number;
  /** Requests the guard refused (they did not leave). */
  blocked: number;
  /** Sensitive values (the index) found in bodies that left. */
  sensitive: number;
  /** Canaries found in bodies that left. */
  canaries: number;
  /** Entity types found, never values. */
  types: string[];
}

export interface EgressScanner {
  check(records: readonly EgressRecord[]): EgressCheck;
}

export function createEgressScanner(options: {
  values?: Pick<ValueIndex, "match">;
  canaries?: readonly string[];
}): EgressScanner {
  const canaryIndex = new TaintIndex();
  for (const c of options.canaries ?? []) canaryIndex.add(c, { type: "CANARY", origin: "canary" });
  const hasCanaries = (options.canaries ?? []).length > 0;
  return {
    check(records) {
      const out: EgressCheck = {
        requests: records.length,
        bytes: 0,
        blocked: 0,
        sensitive: 0,
        canaries: 0,
        types: [],
      };
      const types = new Set<string>();
      for (const r of records) {
        out.bytes += r.bytes;
        if (r.decision === "blocked") {
          out.blocked++;
          continue; // not sent; the trace keeps no body for it
        }
        if (hasCanaries) {
          const hits = scanBody(r.body, [canaryIndex]);
          out.canaries += hits.length;
          if (hits.length) types.add("CANARY");
        }
        if (options.values) {
          const seen = new Set<string>();
          for (const text of scanText(r.body))
            for (const span of options.values.match(text, { typos: false })) {
              const key = `${span.type}\u0000${span.original ?? span.value}`;
              if (seen.has(key)) continue;
              seen.add(key);
              types.add(span.type);
            }
          out.sensitive += seen.size;
        }
      }
      out.types = [...types].sort();
      return out;
    },
  };
}
