import type { Agent } from "../core/agent.js";
import { GatewayError } from "./gateway-errors.js";
import { classifyHousekeeping, type Housekeeping } from "./housekeeping.js";
import { type ChatRequest, housekeepingRequest, parseChatRequest } from "./openai-wire.js";

export interface AdmissionState {
  agents: Record<string, Agent>;
  /** Model names in order; the first answers requests that name none. */
  modelNames: string[];
  draining: boolean;
  inFlight: number;
  maxConcurrentRuns: number;
  maxPromptChars: number;
}

export interface Admitted {
  request: ChatRequest;
  model: string;
  agent: Agent;
  /** A chat UI's housekeeping request (title, tags, …): answered locally, never planned. */
  housekeeping?: Housekeeping;
}

/**
 * Decides whether a chat request runs: not while shutting down (503), a JSON body that is a valid
 * OpenAI request (400), a known model (404), and a free slot (429 with retry-after). Throws the GatewayError.
 */
export async function admitChatRequest(
  readJson: () => Promise<unknown>,
  state: AdmissionState,
): Promise<Admitted> {
  if (state.draining) {
    throw new GatewayError(503, "server_shutting_down", "The gateway is shutting down.", {
      hint: "Retry shortly.",
      headers: { "retry-after": "1" },
    });
  }
  let body: unknown;
  try {
    body = await readJson();
  } catch {
    throw new GatewayError(400, "invalid_json", "The request body is not valid JSON.", {
      hint: "Send a JSON chat-completions request with content-type application/json.",
    });
  }
  // A chat UI's title/tags/follow-up request carries earlier answers: recognised before anything
  // else (it may use client tools or a system message only, which a question may not).
  const housekeeping = classifyHousekeeping(body);
  const request = housekeeping ? housekeepingRequest(body) : parseChatRequest(body, state.maxPromptChars);
  const model = request.model ?? state.modelNames[0];
  const agent = Object.hasOwn(state.agents, model) ? state.agents[model] : undefined;
  if (!agent) {
    throw new GatewayError(404, "model_not_found", `The model "${model}" does not exist on this gateway.`, {
      type: "invalid_request_error",
      param: "model",
      hint: `Use one of: ${state.modelNames.join(", ")} (GET /v1/models lists them).`,
    });
  }
  if (state.inFlight >= state.maxConcurrentRuns) {
    throw new GatewayError(
      429,
      "rate_limit_exceeded",
      `The gateway is running ${state.inFlight} requests, its limit.`,
      {
        hint: "Retry after the number of seconds in retry-after.",
        headers: { "retry-after": "1" },
      },
    );
  }
  return { request, model, agent, housekeeping };
}
