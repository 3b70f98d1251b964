import type { RunTrace } from "../core/trace.js";

/** Where the gateway keeps run traces for `GET /v1/traces/:id`. Only the owner may read one. */
export interface TraceStore {
  put(trace: RunTrace, ownerId: string): void | Promise<void>;
  /** Undefined when unknown or owned by someone else (the caller cannot tell which). */
  get(id: string, ownerId: string): RunTrace | undefined | Promise<RunTrace | undefined>;
}

/** Keeps the last `max` traces in memory; reading one makes it the most recent. */
export function createMemoryTraceStore(options: { max?: number } = {}): TraceStore & { size(): number } {
  const max = Math.max(1, options.max ?? 1000);
  const entries = new Map<string, { trace: RunTrace; ownerId: string }>();
  return {
    put(trace, ownerId) {
      entries.delete(trace.id);
      entries.set(trace.id, { trace, ownerId });
      while (entries.size > max) entries.delete(entries.keys().next().value!);
    },
    get(id, ownerId) {
      const entry = entries.get(id);
      if (!entry || entry.ownerId !== ownerId) return undefined;
      entries.delete(id);
      entries.set(id, entry);
      return entry.trace;
    },
    size: () => entries.size,
  };
}
