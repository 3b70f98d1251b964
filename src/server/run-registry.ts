import type { Server } from "node:http";
import { GatewayError, type AbortCause } from "./gateway-errors.js";
import type { GatewayMetrics } from "./gateway-metrics.js";

/** One run in flight: one controller, aborted by the client going away, the timeout or shutdown. */
export interface RunHandle {
  readonly signal: AbortSignal;
  /** Why the gateway aborted it, if it did. */
  cause(): AbortCause | undefined;
  abort(cause: AbortCause): void;
  /** Releases the run's slot, timer and listeners (idempotent). */
  end(): void;
  /** Settles once end() was called. */
  readonly done: Promise<void>;
}

export interface RunRegistry {
  /** Runs executing now. */
  readonly size: number;
  /** `onEnd` runs once when the run ends (e.g. to give back a per-user run slot). */
  start(clientSignal: AbortSignal, onEnd?: () => void): RunHandle;
  /**
   * Waits for running requests until `drainTimeoutMs`, aborts the rest (`shutdown`), gives their
   * streams a moment to write the error chunk, and closes the server.
   */
  drain(server: Server, drainTimeoutMs: number): Promise<void>;
}

/** The run lifecycle: admission counts these, shutdown drains them. */
export function createRunRegistry(requestTimeoutMs: number, metrics: GatewayMetrics): RunRegistry {
  const runs = new Set<{ handle: RunHandle; done: Promise<void> }>();
  return {
    get size() {
      return runs.size;
    },
    start(clientSignal, onEnd) {
      const controller = new AbortController();
      let cause: AbortCause | undefined;
      const abort = (why: AbortCause) => {
        if (controller.signal.aborted) return;
        cause = why;
        controller.abort(new GatewayError(499, `run_${why}`, `aborted: ${why}`));
      };
      const onClientAbort = () => abort("client");
      clientSignal.addEventListener("abort", onClientAbort, { once: true });
      const timer = setTimeout(() => abort("timeout"), requestTimeoutMs);
      let finish!: () => void;
      let finished = false;
      const done = new Promise<void>((r) => (finish = r));
      const handle: RunHandle = {
        done,
        signal: controller.signal,
        cause: () => cause,
        abort,
        end() {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          clientSignal.removeEventListener("abort", onClientAbort);
          runs.delete(entry);
          metrics.inFlight.set(runs.size);
          onEnd?.();
          finish();
        },
      };
      const entry = { handle, done };
      runs.add(entry);
      metrics.inFlight.set(runs.size);
      return handle;
    },
    async drain(server, drainTimeoutMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const pending = () => Promise.allSettled([...runs].map((r) => r.done));
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([pending(), new Promise<void>((r) => (deadline = setTimeout(r, drainTimeoutMs)))]);
      clearTimeout(deadline);
      for (const run of runs) run.handle.abort("shutdown");
      await Promise.race([pending(), new Promise((r) => setTimeout(r, 1000).unref())]);
      // Give aborted streams a moment to write their error chunk, then drop what is left.
      setTimeout(() => server.closeAllConnections(), 50).unref();
      server.closeIdleConnections();
      await closed;
    },
  };
}
