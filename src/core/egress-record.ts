/** Why the guard refused a request: the kind of value and where it came from, never the value. */
export interface EgressHit {
  type: string;
  origin: string;
}

/**
 * One request that left (or tried to leave) for a cloud model: what exactly was sent. The same
 * record goes to the run's trace, the audit log and the `onEgress` hook.
 */
export interface EgressRecord {
  url: string;
  host: string;
  /** Why the call was made: plan, repair, ... ("unknown" outside a run). */
  purpose: string;
  /**
   * The exact body as sent. In a run's trace, a blocked body is replaced by `[blocked: not sent]`
   * (it holds exactly what must not be kept); the hook and the guard see it as it would have left.
   */
  body: string;
  bytes: number;
  sha256: string;
  decision: "allowed" | "blocked";
  /** What the guard found; empty when allowed or when no guard is in the path. */
  hits: EgressHit[];
  /** ISO 8601 time the request was made. */
  at: string;
}
