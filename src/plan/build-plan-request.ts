import type { ChatTurn } from "../core/chat-turn.js";
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
  privacy?: SessionPrivacy;
}

/**
 * What the planner will see: the user's turns pseudonymized (history first, prompt last), the
 * public tool specs and the date. The planner's fixed instructions are declared public to the
 * egress guard, so a tool value equal to one of their words does not block the request.
 */
export function buildPlanRequest(input: BuildPlanRequestInput): PlanRequest {
  const userTurns = (input.history ?? []).filter((h) => h.role === "user").map((h) => h.content);
  const texts = input.privacy ? input.privacy.pseudonymize([...userTurns, input.prompt]) : undefined;
  const request: PlanRequest = {
    prompt: texts ? texts.at(-1)! : input.prompt,
    history: texts ? texts.slice(0, -1) : userTurns,
    tools: input.tools,
    date: input.date.toISOString().slice(0, 10),
    maxSteps: input.maxSteps,
  };
  input.privacy?.markPublic(plannerTemplateText(request));
  return request;
}
