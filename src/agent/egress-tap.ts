import { createHash } from "node:crypto";
import { FlmError } from "../errors/flm-error.js";
import { currentRunScope } from "./run-scope.js";
import type { EgressRecord } from "./trace.js";

type Fetch = typeof globalThis.fetch;

/**
 * Wraps the fetch given to a cloud provider so the run's trace holds the exact bytes of every
 * request that left, and whether it was allowed. The guard (if any) is the `inner` fetch: a
 * request the guard refuses is recorded as blocked.
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
      purpose: scope.purpose,
      body,
      bytes: Buffer.byteLength(body),
      sha256: createHash("sha256").update(body).digest("hex"),
      decision: "allowed",
      at: new Date().toISOString(),
    };
    scope.egress.push(record);
    try {
      return await inner(input, init);
    } catch (error) {
      if (FlmError.isInstance(error) && error.code === "EGRESS_BLOCKED") {
        record.decision = "blocked";
        // The body held what must not leave; the trace keeps only its size and hash.
        record.body = "[blocked: not sent]";
      }
      throw error;
    }
  };
}
