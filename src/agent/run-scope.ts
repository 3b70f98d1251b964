import { AsyncLocalStorage } from "node:async_hooks";
import type { EgressRecord } from "./trace.js";

/**
 * Per-run state that code deep inside a provider call needs, such as the fetch that records
 * egress. Carried by AsyncLocalStorage, because the AI SDK calls our fetch without our context.
 */
export interface RunScope {
  runId: string;
  /** Why the current cloud call is made: plan, repair, ... */
  purpose: string;
  egress: EgressRecord[];
  /** Extra per-run state for guards (taint indexes and the like). */
  data: Map<string, unknown>;
}

const storage = new AsyncLocalStorage<RunScope>();

export function currentRunScope(): RunScope | undefined {
  return storage.getStore();
}

export function withRunScope<T>(scope: RunScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Runs `fn` with the same scope but another purpose label (egress records share the array). */
export function withPurpose<T>(purpose: string, fn: () => T): T {
  const scope = storage.getStore();
  return scope ? storage.run({ ...scope, purpose }, fn) : fn();
}
