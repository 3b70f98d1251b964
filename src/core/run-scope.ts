import { AsyncLocalStorage } from "node:async_hooks";
import type { EgressRecord } from "./egress-record.js";
import type { PrivacySession } from "./privacy-hooks.js";

/**
 * Per-run state that code deep inside a provider call needs: the fetch that records egress, the
 * guard that scans against the conversation's taint, the audit log that names the user. Carried
 * by AsyncLocalStorage, because the AI SDK calls our fetch without our context. One object per
 * run, shared by every stage (set a field and the guard sees it).
 */
export interface RunScope {
  readonly runId: string;
  /** Every request that left for the cloud during the run (the trace's `egress`). */
  readonly egress: EgressRecord[];
  /** The caller, for the audit log. */
  userId?: string;
  /** The conversation's privacy session, once bound: the egress guard scans against its taint. */
  privacySession?: PrivacySession;
  /** The local-model review of the prompt, when privacy asked for one (its time goes in the trace). */
  privacyReview?: { ms: number; spans: number; error?: string };
}

interface ScopeFrame {
  scope: RunScope;
  /** Why the current cloud call is made: plan, repair, ... */
  purpose: string;
}

const storage = new AsyncLocalStorage<ScopeFrame>();

export function currentRunScope(): RunScope | undefined {
  return storage.getStore()?.scope;
}

/** Why the current cloud call is made (`plan`, `repair`, ...); "unknown" outside a run. */
export function currentPurpose(): string {
  return storage.getStore()?.purpose ?? "unknown";
}

export function withRunScope<T>(scope: RunScope, fn: () => T, purpose = "plan"): T {
  return storage.run({ scope, purpose }, fn);
}

/** Runs `fn` in the same run with another purpose label. */
export function withPurpose<T>(purpose: string, fn: () => T): T {
  const frame = storage.getStore();
  return frame ? storage.run({ scope: frame.scope, purpose }, fn) : fn();
}
