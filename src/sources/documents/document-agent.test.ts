/**
 * Documents in the federated run: the planner writes the query from the pseudonymized prompt,
 * the placeholder is filled in locally before searching, passages reach only the local model,
 * and the answer cites them as [s1 · file p.N].
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOpenAI } from "@ai-sdk/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply } from "../../../test/helpers/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../../test/helpers/fake-models.js";
import { createAgent } from "../../agent/create-agent.js";
import { createPrivacy } from "../../privacy/agent-privacy.js";
import { createDocumentSource } from "./document-source.js";

const CANARY = "CANARY-doc-5e1d";
let models: FakeModels;
let folder: string;
beforeAll(async () => {
  models = await startFakeModels();
  const dir = mkdtempSync(join(tmpdir(), "flm-docs-agent-"));
  folder = join(dir, "docs");
  mkdirSync(folder);
  writeFileSync(
    join(folder, "contracts.md"),
    `# Supplier contracts\n\n## Keller Logistics\n\nThe contract with Keller Logistics renews on 1 March 2027 with a notice period of 90 days. Internal reference ${CANARY}.\n\n## Other suppliers\n\nAll other contracts renew yearly in January.\n`,
  );
  writeFileSync(
    join(folder, "travel.md"),
    "# Travel policy\n\nTrain journeys under six hours are booked in second class.\n",
  );
});
afterAll(async () => {
  await models.close();
});

describe("search_documents in a federated run", () => {
  it("fills the placeholder locally, keeps passages local, and cites them", async () => {
    const docs = createDocumentSource({ name: "docs", index: join(folder, "..", "index.sqlite"), folder });
    const privacy = createPrivacy({
      sensitiveValues: [{ type: "ORGANIZATION", value: "Keller Logistics", origin: "crm.suppliers.name" }],
    });
    const planner = createOpenAI({
      baseURL: models.cloud.url,
      apiKey: "k",
      fetch: privacy.cloudFetch(),
    }).chat("p");
    const agent = createAgent({ planner, generator: models.generator, tools: [docs], privacy });
    models.cloud.handle((req) => {
      const prompt = req.json.messages.at(-1).content as string;
      const org = /<ORGANIZATION_\d+>/.exec(prompt)?.[0] ?? "missing";
      return reply.json({
        steps: [{ id: "s1", tool: "search_documents", args: { query: `${org} contract renewal` } }],
      });
    });
    models.local.handle(() =>
      reply.text("It renews on 1 March 2027 [s1 · contracts.md § Supplier contracts > Keller Logistics]."),
    );

    const result = await agent.run("When does the Keller Logistics contract renew?");

    expect(result.steps[0].status).toBe("ok");
    expect(result.steps[0].args).toEqual({ query: "Keller Logistics contract renewal" });
    const local = models.local.requests.at(-1)!.body;
    expect(local).toContain("renews on 1 March 2027");
    expect(local).toContain("contracts.md");
    expect(result.citations).toEqual(["s1"]);
    const cloud = models.cloud.allBodies();
    expect(cloud).toContain("<ORGANIZATION_1>");
    expect(cloud).not.toContain("Keller");
    expect(cloud).not.toContain(CANARY);
    expect(cloud).not.toContain("notice period");
    await agent.close();
  });
});
