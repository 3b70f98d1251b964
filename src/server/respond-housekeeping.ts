import type { Context } from "hono";
import { type ChatRun, errorResponse } from "./chat-run.js";
import { answerHousekeeping, type HousekeepingReply } from "./housekeeping-answer.js";
import type { Housekeeping } from "./housekeeping.js";
import { chunk, DONE, usageOf } from "./openai-wire.js";

/**
 * Answers a chat UI's housekeeping request (title, tags, follow-ups, …) with the local model: no
 * plan, no tool, no cloud call, nothing recorded as a run. JSON or SSE like any completion; a
 * forced tool call (LibreChat's structured title) comes back as `tool_calls`.
 */
export async function respondHousekeeping(c: Context, chat: ChatRun, task: Housekeeping): Promise<Response> {
  const { base, run } = chat;
  let reply: HousekeepingReply;
  try {
    reply = await answerHousekeeping(task, (prompt, options) => chat.agent.answerLocally(prompt, options), {
      signal: run.signal,
    });
  } catch (error) {
    const e = await chat.fail(error);
    run.end();
    return errorResponse(c, e);
  }
  run.end();
  c.header("x-flm-housekeeping", task.kind);
  const toolCalls = reply.toolCall
    ? [{ id: `call_${base.id.slice(-24)}`, type: "function", function: reply.toolCall }]
    : undefined;
  const finish = toolCalls ? "tool_calls" : "stop";
  if (!chat.request.stream) {
    return c.json({
      id: base.id,
      object: "chat.completion",
      created: base.created,
      model: base.model,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: toolCalls ? null : reply.text,
            tool_calls: toolCalls,
            refusal: null,
          },
          logprobs: null,
          finish_reason: finish,
        },
      ],
      usage: usageOf(reply.usage),
      flm: { housekeeping: task.kind },
    });
  }
  const delta = toolCalls
    ? { role: "assistant", content: null, tool_calls: toolCalls.map((t, index) => ({ index, ...t })) }
    : { role: "assistant", content: reply.text };
  const events = [chunk(base, delta), chunk(base, {}, finish as "stop")];
  if (base.includeUsage) events.push(chunk(base, undefined, null, reply.usage));
  events.push(DONE);
  return c.body(events.join(""), 200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
  });
}
