/**
 * The documents-in-a-federated-run scenario every document store is tested with: the prompt names
 * a supplier that privacy knows, the scripted cloud planner searches with the placeholder it got,
 * and the scripted local model answers. Callers assert on what each side received.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createOpenAI } from "@ai-sdk/openai";
import { createAgent } from "../../src/agent/create-agent.js";
import type { RunResult } from "../../src/core/run-result.js";
import { createPrivacy } from "../../src/privacy/agent-privacy.js";
import type { ToolSource } from "../../src/tools/tool-source.js";
import type { FakeModels } from "./fake-models.js";
import { reply } from "../../src/testing/fake-openai-server.js";

export const RENEWAL_QUESTION = "When does the Keller Logistics contract renew?";

/** Writes `contracts.md` with the supplier's renewal terms and `canary` in them. */
export function writeContractsFile(folder: string, canary: string, more = ""): void {
  writeFileSync(
    join(folder, "contracts.md"),
    `# Supplier contracts\n\n## Keller Logistics\n\nThe contract with Keller Logistics renews on 1 March 2027 with a notice period of 90 days. Internal reference ${canary}.\n${more}`,
  );
}

export async function askContractRenewal(
  models: FakeModels,
  docs: ToolSource,
  answer: string,
): Promise<{ result: RunResult; local: string; cloud: string }> {
  const privacy = createPrivacy({
    sensitiveValues: [{ type: "ORGANIZATION", value: "Keller Logistics", origin: "crm.suppliers.name" }],
  });
  const planner = createOpenAI({ baseURL: models.cloud.url, apiKey: "k", fetch: privacy.cloudFetch() }).chat(
    "p",
  );
  const agent = createAgent({ planner, generator: models.generator, tools: [docs], privacy });
  models.cloud.handle((req) => {
    const prompt = req.json.messages.at(-1).content as string;
    const org = /<ORGANIZATION_\d+>/.exec(prompt)?.[0] ?? "missing";
    return reply.json({
      steps: [{ id: "s1", tool: "search_documents", args: { query: `${org} contract renewal` } }],
    });
  });
  models.local.handle(() => reply.text(answer));
  try {
    const result = await agent.run(RENEWAL_QUESTION);
    return { result, local: models.local.requests.at(-1)!.body, cloud: models.cloud.allBodies() };
  } finally {
    await agent.close();
  }
}
