/** One dependency a gateway needs to answer: a model that must respond, a source that must open. */
export interface ReadinessCheck {
  /** `generator`, `planner:local`, a source's name, ... */
  name: string;
  kind: "model" | "source";
  ok: boolean;
  /** How long the check took. */
  ms: number;
  /** Why it failed: an error code, safe to show anyone. */
  code?: string;
  /** Why it failed, in words (may name hosts and files: for operators, not for /readyz). */
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: ReadinessCheck[];
}
