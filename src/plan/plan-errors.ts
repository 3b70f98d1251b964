import type { PlannerFailure } from "../core/trace.js";
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
      `The planner's plan was still invalid after ${attempts} attempt(s): ${summarize(issues)}.`,
      { hint: "Check that the tool descriptions and schemas are clear, or raise maxRepairs." },
    );
    this.issues = issues;
  }
}

export type { PlannerFailure };

/**
 * The planner's provider kept answering 429 (rate limited) past the retries that fit in the
 * planner timeout. `retryAfterMs` is what the provider last asked for, when it said.
 */
export class PlannerRateLimitedError extends FlmError {
  static override readonly marker: string = "federated-lm.PlannerRateLimitedError";
  readonly retryAfterMs?: number;
  constructor(info: {
    status: number;
    retryAfterMs?: number;
    attempts: number;
    tooLong: boolean;
    cause?: unknown;
  }) {
    const asked =
      info.retryAfterMs !== undefined ? ` and asked to wait ${Math.ceil(info.retryAfterMs / 1000)} s` : "";
    const why = info.tooLong
      ? "longer than the planner timeout leaves"
      : `after ${info.attempts} attempt${info.attempts === 1 ? "" : "s"}`;
    super(
      "PLANNER_RATE_LIMITED",
      `The planner's provider is rate limiting requests (HTTP ${info.status})${asked}; gave up ${why}.`,
      {
        cause: info.cause,
        hint: "Retry later (retry-after says when), lower the request rate, or raise the provider's rate limit or plannerTimeoutMs.",
      },
    );
    this.retryAfterMs = info.retryAfterMs;
  }
}

/** The planner model could not be reached or failed (network, HTTP error, timeout). */
export class PlannerError extends FlmError {
  static override readonly marker: string = "federated-lm.PlannerError";
  /** The URL called, when there was an HTTP call. */
  readonly endpoint?: string;
  /** The HTTP status, when there was a response. */
  readonly status?: number;
  /** When the cloud planner failed and the local fallback took over: the first failure. */
  readonly fallbackFrom?: { planner: string; failure: PlannerFailure };
  constructor(
    message: string,
    options: {
      cause?: unknown;
      code?: string;
      hint?: string;
      endpoint?: string;
      status?: number;
      fallbackFrom?: { planner: string; failure: PlannerFailure };
    } = {},
  ) {
    super(options.code ?? "PLANNER_FAILED", message, options);
    this.endpoint = options.endpoint;
    this.status = options.status;
    this.fallbackFrom = options.fallbackFrom;
  }
}

/** An error's message without the hint FlmError appends to it. */
export function bareMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const hint = FlmError.isInstance(error) ? error.hint : undefined;
  return hint && error.message.endsWith(` ${hint}`)
    ? error.message.slice(0, -hint.length - 1)
    : error.message;
}

/** The failure behind an error thrown by a planner call. */
export function plannerFailure(error: unknown): PlannerFailure {
  if (PlannerError.isInstance(error))
    return { code: error.code, message: bareMessage(error), endpoint: error.endpoint, status: error.status };
  if (FlmError.isInstance(error)) return { code: error.code, message: bareMessage(error) };
  return { code: "PLANNER_FAILED", message: bareMessage(error) };
}

/** The issues for an error message: at most ~2,000 characters, however many there were. */
function summarize(issues: PlanIssue[]): string {
  const text = issues.map((i) => i.message).join("; ");
  return text.length > 2_000 ? `${text.slice(0, 2_000)}… (${issues.length} problems)` : text;
}
