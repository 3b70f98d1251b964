import { errorCodeInfo } from "../errors/codes.js";
import { FlmError } from "../errors/flm-error.js";

/** OpenAI's error body: `{ error: { message, type, code, param } }`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

/** A request the gateway refuses or a run that failed, with the HTTP status it maps to. */
export class GatewayError extends FlmError {
  static override readonly marker: string = "federated-lm.GatewayError";
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: {
      type?: string;
      param?: string;
      hint?: string;
      cause?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(code, message, { hint: options.hint, cause: options.cause });
    this.status = status;
    this.type = options.type ?? typeForStatus(status);
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
  }

  body(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, code: this.code, param: this.param } };
  }
}

/** Thrown by createGateway for a bad configuration (no agents, duplicate tokens, ...). */
export class GatewayConfigError extends FlmError {
  static override readonly marker: string = "federated-lm.GatewayConfigError";
  constructor(message: string, hint?: string) {
    super("GATEWAY_CONFIG_INVALID", message, { hint });
  }
}

function typeForStatus(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/** Why the gateway itself aborted a run (as opposed to the agent failing on its own). */
export type AbortCause = "client" | "timeout" | "shutdown";

/**
 * Maps what a run threw to an HTTP status and an OpenAI error. EGRESS_BLOCKED is 403, not 502:
 * nothing went upstream, the gateway refused on policy, and a 5xx would make OpenAI clients
 * retry (and hit the same block) automatically.
 */
export function gatewayErrorFor(
  error: unknown,
  aborted: AbortCause | undefined,
  timeoutMs: number,
): GatewayError {
  if (GatewayError.isInstance(error)) return error;
  if (aborted === "timeout") {
    return new GatewayError(
      504,
      "request_timeout",
      `The run did not finish within ${timeoutMs} ms and was cancelled.`,
      {
        hint: "Ask a narrower question, or raise the gateway's requestTimeoutMs.",
      },
    );
  }
  if (aborted === "shutdown") {
    return new GatewayError(
      503,
      "server_shutting_down",
      "The gateway is shutting down; the run was cancelled.",
      {
        hint: "Retry against another instance or after the restart.",
      },
    );
  }
  if (aborted === "client")
    return new GatewayError(499, "client_closed_request", "The client closed the request.");
  if (!FlmError.isInstance(error)) {
    return new GatewayError(
      500,
      "internal_error",
      "The gateway failed unexpectedly; the details are in its log.",
      {
        cause: error,
      },
    );
  }
  // The status comes from the code registry; the FlmError message already carries its hint.
  const info = errorCodeInfo(error.code);
  // An error may know when to come back (an upstream's Retry-After); else the registry's default.
  const asked = (error as { retryAfterMs?: unknown }).retryAfterMs;
  const retryAfter =
    typeof asked === "number" && asked >= 0 ? Math.ceil(asked / 1000) : info?.retryAfterSeconds;
  return new GatewayError(info?.http ?? 500, error.code, error.message, {
    cause: error,
    headers: retryAfter ? { "retry-after": String(retryAfter) } : undefined,
  });
}
