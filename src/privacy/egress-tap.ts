import { createHash } from "node:crypto";
import type { EgressRecord } from "../core/egress-record.js";
import { currentPurpose, currentRunScope } from "../core/run-scope.js";
import { isFlmError } from "../errors/flm-error.js";
import type { EgressHit } from "./privacy-errors.js";

type Fetch = typeof globalThis.fetch;

/**
 * Wraps the fetch given to a cloud provider so the run's trace holds the exact bytes of every
 * request that left, and whether it was allowed. The guard (if any) is the `inner` fetch: a
 * request the guard refuses is recorded as blocked, with the guard's hits and without its body.
 */
export function createEgressTap(inner: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const scope = currentRunScope();
    if (!scope) return inner(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const body = typeof init?.body === "string" ? init.body : init?.body == null ? "" : "[non-text body]";
    const record: EgressRecord = {
      url,
      host: new URL(url).host,
      purpose: currentPurpose(),
      body,
      bytes: Buffer.byteLength(body),
      sha256: createHash("sha256").update(body).digest("hex"),
      decision: "allowed",
      hits: [],
      at: new Date().toISOString(),
    };
    scope.egress.push(record);
    try {
      return await inner(input, init);
    } catch (error) {
      if (isFlmError(error, "EGRESS_BLOCKED")) {
        record.decision = "blocked";
        record.hits = "hits" in error && Array.isArray(error.hits) ? (error.hits as EgressHit[]) : [];
        // The body held what must not leave; the trace keeps only its size and hash.
        record.body = "[blocked: not sent]";
      }
      throw error;
    }
  };
}
