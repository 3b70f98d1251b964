import type { ToolSpec } from "../tools/tool.js";
import type { PlannerFallback } from "./trace.js";

/**
 * What the agent needs from a privacy firewall. Kept as a small interface so the agent does not
 * depend on how detection, placeholders and taint tracking are implemented.
 */
export interface PrivacySession {
  readonly id: string;
}

export interface AgentPrivacy {
  /** Resolves when indexes are loaded; runs wait for it, so nothing is planned half-protected. */
  ready?(): Promise<void>;
  createSession(): PrivacySession;
  /** Makes the session the current run's (the egress guard looks it up), with the public tool specs. */
  bind?(session: PrivacySession, tools: ToolSpec[]): void;
  /**
   * Text that is public by construction (the planner's own instructions and replies): a tool
   * value that happens to equal a word of it is not a leak, so the guard must not refuse it.
   */
  markPublic?(texts: string[], session: PrivacySession): void;
  /**
   * Pseudonymizes texts in order (history first, prompt last); may throw a policy error. Async when
   * a local model reviews the prompt (the last text; `review: false` when it is an earlier turn),
   * or when part of the detection runs off the event loop (NER on a long prompt).
   */
  pseudonymize(
    texts: string[],
    session: PrivacySession,
    options?: PseudonymizeOptions,
  ): string[] | Promise<string[]>;
  /** Problem with a string argument in a plan (e.g. an unknown placeholder), or undefined. */
  checkPlanString(value: string, session: PrivacySession): string | undefined;
  /** Puts real values back into resolved arguments, locally, before a tool runs. */
  restore(args: Record<string, unknown>, session: PrivacySession): Record<string, unknown>;
  /** Registers a tool result as tainted so the egress guard can refuse it. */
  taint(stepId: string, output: unknown, session: PrivacySession): void;
  /**
   * Whom the session's runs answer (`user:<id>`, or `conversation:<id>`): what flm gave them
   * earlier is loaded, to be pseudonymized when quoted back and refused at egress. With a
   * `conversation` key, the placeholders its earlier turns used are loaded too (stable across replicas).
   */
  enter?(session: PrivacySession, subject: string, conversation?: string): Promise<void>;
  /** Records what a run gave its subject (tool results, the answer), tainted for them from now on. */
  remember?(session: PrivacySession, gift: RunGift): Promise<void>;
  /** Notes in the audit log that the cloud planner failed and the local one planned instead. */
  noteFallback?(session: PrivacySession, fallback: PlannerFallback): Promise<void>;
}

export interface PseudonymizeOptions {
  /** The last text is the prompt, for the local-model review when there is one. Default true. */
  review?: boolean;
}

/** What one run gave the user: its tool results and its answer. */
export interface RunGift {
  runId: string;
  results: Array<{ stepId: string; output: unknown }>;
  answer?: string;
  /** The question the answer answers (an answer that repeats it does not taint the user's words). */
  prompt?: string;
}

/** The privacy hooks bound to one conversation's session: what each stage of a run calls. */
export interface SessionPrivacy {
  readonly session: PrivacySession;
  markPublic(texts: string[]): void;
  pseudonymize(texts: string[], options?: PseudonymizeOptions): Promise<string[]>;
  checkPlanString(value: string): string | undefined;
  restore(args: Record<string, unknown>): Record<string, unknown>;
  taint(stepId: string, output: unknown): void;
  remember(gift: RunGift): Promise<void>;
  noteFallback(fallback: PlannerFallback): Promise<void>;
}

/**
 * Gets a run's privacy ready: waits for the indexes, opens (or continues) the conversation's
 * session and binds it to the current run (the egress guard scans against it). Undefined when the
 * agent runs without privacy.
 */
export async function openSessionPrivacy(
  privacy: AgentPrivacy | undefined,
  session: PrivacySession | undefined,
  tools: ToolSpec[],
  user?: string,
  conversation?: string,
): Promise<SessionPrivacy | undefined> {
  if (!privacy) return undefined;
  await privacy.ready?.();
  const s = session ?? privacy.createSession();
  privacy.bind?.(s, tools);
  // A known user keeps their taint across conversations; otherwise the conversation does.
  await privacy.enter?.(s, user !== undefined ? `user:${user}` : `conversation:${s.id}`, conversation);
  return {
    session: s,
    markPublic: (texts) => privacy.markPublic?.(texts, s),
    pseudonymize: async (texts, options) => privacy.pseudonymize(texts, s, options),
    checkPlanString: (value) => privacy.checkPlanString(value, s),
    restore: (args) => privacy.restore(args, s),
    taint: (stepId, output) => privacy.taint(stepId, output, s),
    remember: async (gift) => privacy.remember?.(s, gift),
    noteFallback: async (fallback) => privacy.noteFallback?.(s, fallback),
  };
}
