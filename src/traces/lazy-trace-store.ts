import type { TraceStore, TraceStoreLimits } from "./trace-store.js";

/**
 * A store that opens on first use: the gateway's default in-memory store costs nothing (no worker
 * thread, no table) until a run is kept, and a gateway that never runs never opens it.
 */
export function lazyTraceStore(
  open: () => Promise<TraceStore>,
  kind: string,
  limits: TraceStoreLimits,
): TraceStore {
  let opened: Promise<TraceStore> | undefined;
  const store = () => {
    opened ??= open();
    opened.catch(() => {
      opened = undefined; // a later call retries
    });
    return opened;
  };
  return {
    kind,
    limits,
    put: async (record) => (await store()).put(record),
    get: async (id, options) => (await store()).get(id, options),
    list: async (query) => (await store()).list(query),
    facets: async () => (await store()).facets(),
    prune: async (now) => (await store()).prune(now),
    stats: async () => (await store()).stats(),
    async close() {
      const s = opened;
      opened = undefined;
      if (s) await (await s.catch(() => undefined))?.close();
    },
  };
}
