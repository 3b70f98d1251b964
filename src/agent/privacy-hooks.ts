import type { ToolSpec } from "../tools/tool.js";

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
  /** Pseudonymizes texts in order (history first, prompt last); may throw a policy error. */
  pseudonymize(texts: string[], session: PrivacySession): string[];
  /** Problem with a string argument in a plan (e.g. an unknown placeholder), or undefined. */
  checkPlanString(value: string, session: PrivacySession): string | undefined;
  /** Puts real values back into resolved arguments, locally, before a tool runs. */
  restore(args: Record<string, unknown>, session: PrivacySession): Record<string, unknown>;
  /** Registers a tool result as tainted so the egress guard can refuse it. */
  taint(stepId: string, output: unknown, session: PrivacySession): void;
}
