import OpenAI from "openai";
import { afterEach, beforeEach } from "vitest";
import { type AgentOptions, createAgent } from "../../src/agent/create-agent.js";
import { createGateway, type ListeningGateway } from "../../src/server/create-gateway.js";
import { reply } from "../../src/testing/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "./fake-models.js";

/** Fresh fake models for each test, and a gateway over an agent built on them. */
export interface AgentGateway {
  /** This test's scripted cloud planner and local generator. */
  readonly models: FakeModels;
  /**
   * Serves an agent over `models` (planner, generator, then `options`) as model `flm` to one user
   * holding the token; returns the official openai client for it (no retries).
   */
  client(options: Omit<AgentOptions, "planner" | "generator">): Promise<OpenAI>;
}

/**
 * Registers the hooks that start the fake models before each test (the local model answers
 * `localAnswer`) and close the gateway (50 ms drain) and the models after it.
 */
export function useAgentGateway(token: string, localAnswer: string): AgentGateway {
  let models: FakeModels | undefined;
  let gateway: ListeningGateway | undefined;
  beforeEach(async () => {
    models = await startFakeModels();
    models.local.handle(() => reply.text(localAnswer));
  });
  afterEach(async () => {
    await gateway?.close({ drainTimeoutMs: 50 });
    gateway = undefined;
    await models?.close();
    models = undefined;
  });
  const current = (): FakeModels => {
    if (!models) throw new Error("useAgentGateway: the fake models exist only inside a test");
    return models;
  };
  return {
    get models() {
      return current();
    },
    async client(options) {
      const { planner, generator } = current();
      const agent = createAgent({ planner, generator, ...options });
      gateway = await createGateway({
        agents: { flm: agent },
        users: [{ token, id: "u", roles: [] }],
      }).listen({ port: 0 });
      return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: token, maxRetries: 0 });
    },
  };
}
