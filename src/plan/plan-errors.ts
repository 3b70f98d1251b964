import { FlmError } from "../errors/flm-error.js";

export type PlanIssueKind =
  | "malformed"
  | "unknown-tool"
  | "invalid-args"
  | "missing-ref"
  | "bad-path"
  | "cycle"
  | "too-many-steps"
  | "duplicate-id"
  | "unknown-placeholder";

/**
 * One thing wrong with a plan. Messages are built only from the plan itself and the tool
 * schemas (never from tool results), so they are safe to send back to the cloud planner.
 */
export interface PlanIssue {
  kind: PlanIssueKind;
  stepId?: string;
  message: string;
}

export class PlanValidationError extends FlmError {
  static override readonly marker: string = "federated-lm.PlanValidationError";
  readonly issues: PlanIssue[];
  constructor(issues: PlanIssue[], attempts: number) {
    super(
      "PLAN_INVALID",
      `The planner's plan was still invalid after ${attempts} attempt(s): ${issues.map((i) => i.message).join("; ")}.`,
      { hint: "Check that the tool descriptions and schemas are clear, or raise maxRepairs." },
    );
    this.issues = issues;
  }
}

/** The planner model could not be reached or failed (network, HTTP error, timeout). */
export class PlannerError extends FlmError {
  static override readonly marker: string = "federated-lm.PlannerError";
  constructor(message: string, options: { cause?: unknown; code?: string; hint?: string } = {}) {
    super(options.code ?? "PLANNER_FAILED", message, options);
  }
}
