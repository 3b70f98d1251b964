/** What kind of claim a span of the answer makes. */
export type GroundingKind = "number" | "date" | "name" | "identifier" | "citation";

/** A span of the answer that neither the context nor the user's prompt supports. */
export interface UngroundedSpan {
  kind: GroundingKind;
  /** The span as written in the answer. */
  text: string;
  start: number;
  end: number;
  /** Why a citation is ungrounded ("s3 returned nothing", "no step s9"). */
  reason?: string;
}

/**
 * The grounding check of one answer: every number, date, amount, name, identifier and citation in
 * it, looked up in the context the local model was given and in what the user wrote.
 */
export interface Grounding {
  ungrounded: UngroundedSpan[];
  /** Claims checked (grounded + ungrounded). */
  checked: number;
  /** Grounded share of the checked claims, 0–1 (1 when there was nothing to check). */
  score: number;
  /** What was done about it: `answer.onUngrounded`. `retried`: the answer is the second one. */
  action?: "flagged" | "retried" | "refused";
}

/** `answer.onUngrounded`: what to do when an answer holds values the context does not. */
export type OnUngrounded = "flag" | "retry" | "refuse";
