import type { Caller } from "../tools/caller.js";
import type { Tool } from "../tools/tool.js";
import type { ChatTurn } from "./chat-turn.js";
import type { AgentEvent } from "./events.js";
import type { Plan } from "./plan.js";
import type { PrivacySession } from "./privacy-hooks.js";
import type { RunResult } from "./run-result.js";
import type { RunTrace, TokenUsage } from "./trace.js";

export interface RunOptions {
  signal?: AbortSignal;
  /** The caller; flows into every tool call. */
  user?: Caller;
  /** Earlier turns. Only user turns go to the planner (pseudonymized); answers stay local. */
  history?: ChatTurn[];
  /** Privacy state kept across the turns of one conversation (stable placeholders). */
  session?: PrivacySession;
  /**
   * The conversation this turn belongs to, as a key unique per user (the gateway derives it): its
   * placeholders are loaded from and saved to the conversation store, so they stay the same when
   * the turns land on different replicas.
   */
  conversation?: string;
  runId?: string;
  /**
   * Called once as the run starts, with the trace its stages fill in. A caller keeps it to record
   * what a run that fails did (its stages, its egress, a blocked request), not only a finished one.
   */
  onTrace?: (trace: RunTrace) => void;
}

export interface LocalAnswerOptions {
  signal?: AbortSignal;
  maxOutputTokens?: number;
}

export interface LocalAnswer {
  text: string;
  usage: TokenUsage;
}

/**
 * What the surfaces (CLI, gateway, console) drive. `createAgent` (src/agent) is the implementation;
 * the surfaces depend on this interface only.
 */
export interface Agent {
  run(prompt: string, options?: RunOptions): Promise<RunResult>;
  stream(prompt: string, options?: RunOptions): AsyncIterable<AgentEvent>;
  /** Plans without running anything: what would be sent to the cloud and what comes back. */
  plan(prompt: string, options?: RunOptions): Promise<{ plan: Plan; trace: RunTrace }>;
  /** Every tool the agent can call (sources are opened on first use). */
  tools(): Promise<Tool[]>;
  /** Starts a conversation whose placeholders stay stable across turns. */
  createSession(): PrivacySession | undefined;
  /**
   * One answer from the local model alone: no plan, no tools, nothing to the cloud (a chat UI's
   * title or tags request). The prompt may hold anything: it stays on the premises.
   */
  answerLocally(prompt: string, options?: LocalAnswerOptions): Promise<LocalAnswer>;
  close(): Promise<void>;
}
