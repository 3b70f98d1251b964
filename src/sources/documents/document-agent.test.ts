/**
 * Documents in the federated run: the planner writes the query from the pseudonymized prompt,
 * the placeholder is filled in locally before searching, passages reach only the local model,
 * and the answer cites them as [s1 · file p.N].
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askContractRenewal, writeContractsFile } from "../../../test/helpers/contract-renewal-scenario.js";
import { type FakeModels, startFakeModels } from "../../../test/helpers/fake-models.js";
import { createDocumentSource } from "./document-source.js";

const CANARY = "CANARY-doc-5e1d";
let models: FakeModels;
let folder: string;
beforeAll(async () => {
  models = await startFakeModels();
  const dir = mkdtempSync(join(tmpdir(), "flm-docs-agent-"));
  folder = join(dir, "docs");
  mkdirSync(folder);
  writeContractsFile(
    folder,
    CANARY,
    "\n## Other suppliers\n\nAll other contracts renew yearly in January.\n",
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
    const { result, local, cloud } = await askContractRenewal(
      models,
      docs,
      "It renews on 1 March 2027 [s1 · contracts.md § Supplier contracts > Keller Logistics].",
    );

    expect(result.steps[0].status).toBe("ok");
    expect(result.steps[0].args).toEqual({ query: "Keller Logistics contract renewal" });
    expect(local).toContain("renews on 1 March 2027");
    expect(local).toContain("contracts.md");
    expect(result.citations).toEqual(["s1"]);
    expect(cloud).toContain("<ORGANIZATION_1>");
    expect(cloud).not.toContain("Keller");
    expect(cloud).not.toContain(CANARY);
    expect(cloud).not.toContain("notice period");
  });
});
