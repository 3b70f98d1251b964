import type { EgressHit } from "../core/egress-record.js";
import { FlmError } from "../errors/flm-error.js";

export type { EgressHit };

/** A detected entity type has policy `block`: the request is refused before planning. */
export class PolicyBlockedError extends FlmError {
  static override readonly marker: string = "federated-lm.PolicyBlockedError";
  readonly entityType: string;
  constructor(entityType: string, count: number) {
    super(
      "PRIVACY_POLICY_BLOCKED",
      `The prompt contains ${count} value(s) of type ${entityType}, which the privacy policy blocks.`,
      {
        hint: `Remove the ${entityType} from the prompt, or change the policy for ${entityType} to "pseudonymize".`,
      },
    );
    this.entityType = entityType;
  }
}

/** The outgoing body carried a tainted value; nothing was sent. Names type and origin, never the value. */
export class EgressBlockedError extends FlmError {
  static override readonly marker: string = "federated-lm.EgressBlockedError";
  readonly hits: EgressHit[];
  readonly host: string;
  constructor(host: string, hits: EgressHit[], options: { cause?: unknown; reason?: string } = {}) {
    const what = hits.length
      ? hits.map((h) => `${h.type} from ${h.origin}`).join(", ")
      : (options.reason ?? "an unreadable body");
    super("EGRESS_BLOCKED", `Blocked a request to ${host}: it would have sent ${what}. Nothing was sent.`, {
      cause: options.cause,
      hint: hits.length
        ? "A sensitive value reached a cloud prompt; check which step output or prompt builder included it."
        : "Send the request body as a string or bytes so the egress guard can inspect it.",
    });
    this.hits = hits;
    this.host = host;
  }
}

/** A plan used a placeholder the vault never issued (invented or garbled by the planner). */
export class UnknownPlaceholderError extends FlmError {
  static override readonly marker: string = "federated-lm.UnknownPlaceholderError";
  readonly placeholders: string[];
  constructor(placeholders: string[]) {
    super("PLACEHOLDER_UNKNOWN", `The plan uses unknown placeholder(s): ${placeholders.join(", ")}.`, {
      hint: "Use only the placeholders that appear in the prompt, spelled exactly.",
    });
    this.placeholders = placeholders;
  }
}

/** A session handle that this privacy firewall did not create (another runtime's, or a copy). */
export class PrivacySessionError extends FlmError {
  static override readonly marker: string = "federated-lm.PrivacySessionError";
  constructor() {
    super("PRIVACY_SESSION_UNKNOWN", "This privacy session was not created by this privacy firewall.", {
      hint: "Start conversations with agent.createSession() of the same runtime, and pass that object back.",
    });
  }
}

/**
 * The prompt quotes values flm gave this user earlier (tool results, answers) and the policy for
 * them is `block`. Names how many and of what kind, never the values.
 */
export class TaintedPromptError extends FlmError {
  static override readonly marker: string = "federated-lm.TaintedPromptError";
  constructor(type: string, count: number) {
    super(
      "PROMPT_TAINTED",
      `The prompt quotes ${count} value(s) flm gave you earlier (${type}); the privacy policy blocks sending them to the planner.`,
      {
        hint: 'Ask without pasting earlier answers or results, or set privacy.entities.RESULT_VALUE / ANSWER_TEXT to "pseudonymize".',
      },
    );
  }
}

/** The answer-taint store could not be read or written: the run is refused rather than run unprotected. */
export class AnswerTaintUnavailableError extends FlmError {
  static override readonly marker: string = "federated-lm.AnswerTaintUnavailableError";
  constructor(cause: unknown) {
    super(
      "ANSWER_TAINT_UNAVAILABLE",
      "The answer-taint store is unavailable, so earlier answers could not be checked; nothing was sent.",
      { cause, hint: "Check the state store (privacy.answerTaint) and retry." },
    );
  }
}

/**
 * Finding private values in the prompt failed (the NER worker crashed, errored or timed out): the
 * prompt is not sent half-checked; the run is refused and may be retried.
 */
export class PrivacyDetectionError extends FlmError {
  static override readonly marker: string = "federated-lm.PrivacyDetectionError";
  constructor(reason: string, cause?: unknown) {
    super(
      "PRIVACY_DETECTION_FAILED",
      `Detecting names, places and organisations in the prompt failed: the detection worker ${reason}. Nothing was sent.`,
      { cause, hint: "Retry the request; if it keeps failing, check the gateway's log and memory." },
    );
  }
}
