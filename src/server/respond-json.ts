import type { Context } from "hono";
import { type ChatRun, errorResponse } from "./chat-run.js";
import { chatCompletion } from "./openai-wire.js";

/** `stream: false`: runs to the end and answers with one chat.completion (or the error). */
export async function respondJson(c: Context, chat: ChatRun): Promise<Response> {
  try {
    const result = await chat.agent.run(chat.request.prompt, chat.runOptions);
    await chat.record(result);
    const warnings = result.trace.warnings ?? [];
    if (warnings.length) c.header("x-flm-warnings", warnings.map((w) => w.kind).join(", "));
    return c.json(
      chatCompletion({
        id: chat.base.id,
        created: chat.base.created,
        model: chat.base.model,
        text: result.text,
        local: result.trace.usage.local,
        extension: {
          trace_id: chat.runOptions.runId,
          citations: result.citations,
          usage: result.trace.usage,
          ...(warnings.length ? { warnings } : {}),
        },
      }),
    );
  } catch (error) {
    return errorResponse(c, await chat.fail(error));
  } finally {
    chat.run.end();
  }
}
