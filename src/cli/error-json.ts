import { redactSecrets } from "../config/redact-secrets.js";
import { FlmError } from "../errors/flm-error.js";
import { PlannerError } from "../plan/plan-errors.js";

/**
 * A failure as JSON for `--json` output: what happened (code, message, hint), and for a planner
 * failure where it happened (endpoint, status) and what the local fallback did. Secrets redacted.
 */
export function errorJson(error: unknown, secrets: string[]): { error: Record<string, unknown> } {
  const out: Record<string, unknown> = {
    code: FlmError.isInstance(error) ? error.code : "RUN_FAILED",
    message: error instanceof Error ? error.message : String(error),
  };
  if (FlmError.isInstance(error) && error.hint) out.hint = error.hint;
  if (PlannerError.isInstance(error)) {
    if (error.endpoint) out.endpoint = error.endpoint;
    if (error.status) out.status = error.status;
    if (error.fallbackFrom)
      out.plannerFallback = { from: error.fallbackFrom.planner, cause: error.fallbackFrom.failure };
  }
  const issues = (error as { issues?: unknown }).issues;
  if (Array.isArray(issues)) out.issues = issues;
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== null)
    out.cause = {
      ...(FlmError.isInstance(cause) ? { code: cause.code } : {}),
      message: cause instanceof Error ? cause.message : String(cause),
    };
  return { error: redactSecrets(out, secrets) as Record<string, unknown> };
}
