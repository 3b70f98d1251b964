import type { AgentEvent, EmitEvent } from "../core/events.js";
import type { RunResult } from "../core/run-result.js";
import { RunCancelledError } from "../core/run-errors.js";
import { EventChannel } from "./event-channel.js";

/**
 * Adapts a run (a function that emits events and resolves with the result) to the async iterator
 * `agent.stream()` returns: events in order, then `done`, or the run's error. A consumer that stops
 * reading (a client gone) cancels the run and its tools.
 */
export function streamRun(
  run: (emit: EmitEvent, signal: AbortSignal) => Promise<RunResult>,
  callerSignal?: AbortSignal,
): AsyncIterable<AgentEvent> {
  return {
    [Symbol.asyncIterator]() {
      const channel = new EventChannel<AgentEvent>();
      const controller = new AbortController();
      const signal = callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal;
      let finished = false;
      run((e) => channel.push(e), signal).then(
        (result) => {
          finished = true;
          channel.push({ type: "done", result });
          channel.close();
        },
        (error) => {
          finished = true;
          channel.fail(error);
        },
      );
      const inner = channel[Symbol.asyncIterator]();
      return {
        next: () => inner.next(),
        async return(value?: unknown) {
          if (!finished) controller.abort(new RunCancelledError("the consumer stopped reading"));
          await inner.return?.(value);
          return { done: true, value: undefined };
        },
      };
    },
  };
}
