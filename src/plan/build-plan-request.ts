import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { ChatTurn } from "../core/chat-turn.js";
import { type HistoryLimits, recentTurns } from "../core/history-window.js";
import type { SessionPrivacy } from "../core/privacy-hooks.js";
import type { ToolSpec } from "../tools/tool.js";
import type { PlanRequest } from "./planner.js";
import { plannerTemplateText } from "./planner-prompt.js";

export interface BuildPlanRequestInput {
  prompt: string;
  /** Earlier turns; only the user's go to the planner. Answers hold data and stay local. */
  history?: ChatTurn[];
  tools: ToolSpec[];
  /** Today, for relative dates. */
  date: Date;
  maxSteps: number;
  /** Which earlier user turns go along (the most recent that fit); default `PLANNER_HISTORY`. */
  historyLimits?: HistoryLimits;
  privacy?: SessionPrivacy;
}

/** What a planner sees of a long conversation by default. */
export const PLANNER_HISTORY: HistoryLimits = { maxTurns: 40, maxChars: 16_000, maxTurnChars: 2_000 };

export interface BuiltPlanRequest {
  request: PlanRequest;
  /** Earlier user turns sent, and left out (dropped as too old). */
  historySent: number;
  historyDropped: number;
}

/**
 * What the planner will see: the most recent user turns that fit `limits` and the prompt,
 * pseudonymized (history first, prompt last), the public tool specs and the date. The planner's
 * fixed instructions are declared public to the egress guard, so a tool value equal to one of
 * their words does not block the request. The turns are pseudonymized one at a time with the
 * event loop free in between: a long conversation costs time, never other users' latency.
 */
export async function buildPlanRequest(input: BuildPlanRequestInput): Promise<BuiltPlanRequest> {
  const window = recentTurns(
    input.history ?? [],
    input.historyLimits ?? PLANNER_HISTORY,
    (t) => t.role === "user",
  );
  const texts = [...window.turns.map((t) => t.content), input.prompt];
  if (input.privacy) {
    for (let i = 0; i < texts.length; i++) {
      if (i > 0) await yieldToLoop();
      // The prompt is the last text: the local-model review (when on) reads it, not earlier turns.
      [texts[i]] = await input.privacy.pseudonymize([texts[i]], { review: i === texts.length - 1 });
    }
  }
  const request: PlanRequest = {
    prompt: texts.at(-1)!,
    history: texts.slice(0, -1),
    tools: input.tools,
    date: input.date.toISOString().slice(0, 10),
    maxSteps: input.maxSteps,
  };
  input.privacy?.markPublic(plannerTemplateText(request));
  return { request, historySent: window.turns.length, historyDropped: window.dropped };
}
