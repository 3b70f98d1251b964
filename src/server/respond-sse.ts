import type { Context } from "hono";
import type { AgentEvent } from "../core/events.js";
import { FlmError } from "../errors/flm-error.js";
import { type ChatRun, errorResponse } from "./chat-run.js";
import { chunk, DONE } from "./openai-wire.js";

/**
 * `stream: true`: waits for the plan before sending headers, so that planning failures (the
 * common ones: planner down, invalid plan, blocked prompt or egress) get a real status; then
 * streams text deltas as chat.completion.chunk events, one per pull so backpressure reaches the
 * run, and ends with the usage chunk (if asked) and [DONE]. A failure mid-stream becomes an error
 * event; a client that goes away cancels the run and its tools.
 */
export async function respondSse(c: Context, chat: ChatRun): Promise<Response> {
  const { base, run } = chat;
  const iterator = chat.agent.stream(chat.request.prompt, chat.runOptions)[Symbol.asyncIterator]();
  let first: IteratorResult<AgentEvent>;
  const warnings: string[] = [];
  try {
    // Repair rounds (and warnings: a planner fallback) come before the plan: read until it arrives.
    do {
      first = await iterator.next();
      if (!first.done && first.value.type === "warning") warnings.push(first.value.kind);
    } while (!first.done && (first.value.type === "repair" || first.value.type === "warning"));
  } catch (error) {
    const e = await chat.fail(error);
    run.end();
    return errorResponse(c, e);
  }
  const encoder = new TextEncoder();
  let pending: IteratorResult<AgentEvent> | undefined = first;
  const sse = new ReadableStream<Uint8Array>({
    start(stream) {
      stream.enqueue(encoder.encode(chunk(base, { role: "assistant", content: "" })));
    },
    async pull(stream) {
      const send = (text: string) => stream.enqueue(encoder.encode(text));
      try {
        while (true) {
          const next: IteratorResult<AgentEvent> = pending ?? (await iterator.next());
          pending = undefined;
          if (next.done) throw new FlmError("RUN_INCOMPLETE", "The run ended without a result.");
          const event = next.value;
          if (event.type === "text-delta") {
            if (event.text) return send(chunk(base, { content: event.text }));
            continue;
          }
          if (event.type === "done") {
            await chat.record(event.result);
            send(chunk(base, {}, "stop"));
            if (base.includeUsage) send(chunk(base, undefined, null, event.result.trace.usage.local));
            send(DONE);
            stream.close();
            run.end();
            return;
          }
        }
      } catch (error) {
        const e = await chat.fail(error);
        run.end();
        if (run.cause() === "client") return; // nobody is listening
        try {
          send(`data: ${JSON.stringify(e.body())}\n\n`);
          send(DONE);
          stream.close();
        } catch {
          // the stream was cancelled meanwhile
        }
      }
    },
    async cancel() {
      // The client went away: stop the run and its tools.
      run.abort("client");
      run.end();
      await iterator.return?.();
    },
  });
  return c.body(sse, 200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
    ...(warnings.length ? { "x-flm-warnings": warnings.join(", ") } : {}),
  });
}
