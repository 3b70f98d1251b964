import { createOpenAI } from "@ai-sdk/openai";
import { createEgressTap } from "../../src/privacy/egress-tap.js";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "../../src/testing/fake-openai-server.js";

/**
 * A cloud planner and a local generator, each a real provider talking to its own scripted
 * HTTP server, the way a deployment would. The planner's fetch goes through the egress tap.
 */
export interface FakeModels {
  cloud: FakeOpenAIServer;
  local: FakeOpenAIServer;
  planner: ReturnType<ReturnType<typeof createOpenAI>["chat"]>;
  generator: ReturnType<ReturnType<typeof createOpenAI>["chat"]>;
  close(): Promise<void>;
}

export async function startFakeModels(options: { plannerFetch?: typeof fetch } = {}): Promise<FakeModels> {
  const [cloud, local] = await Promise.all([startFakeOpenAIServer(), startFakeOpenAIServer()]);
  const planner = createOpenAI({
    baseURL: cloud.url,
    apiKey: "test-cloud-key",
    fetch: createEgressTap(options.plannerFetch),
  }).chat("planner-model");
  const generator = createOpenAI({ baseURL: local.url, apiKey: "local" }).chat("local-model");
  return {
    cloud,
    local,
    planner,
    generator,
    close: async () => {
      await Promise.all([cloud.close(), local.close()]);
    },
  };
}
