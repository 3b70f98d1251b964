/**
 * The guard works independently of how the pipeline is built: a planner whose prompt builder is
 * buggy (appends the previous turn's tool output) and a tool that calls the cloud with a result
 * are both stopped at the fetch, with nothing sent, whatever the encoding of the leaked value.
 */
import { generateText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { isFlmError } from "../../src/errors/flm-error.js";
import { createModelPlanner } from "../../src/plan/model-planner.js";
import { defineTool } from "../../src/tools/define-tool.js";
import { type FakeModels, startFakeModels } from "../helpers/fake-models.js";
import { reply } from "../../src/testing/fake-openai-server.js";
import { createLeakDataset, type LeakDataset } from "../helpers/leak-dataset.js";
import { asciiEscaped, buildAgent, placeholder, promptOf } from "./leak-setup.js";

let data: LeakDataset;
let models: FakeModels;
beforeAll(async () => {
  data = createLeakDataset({ patients: 12 });
  models = await startFakeModels();
  models.local.handle(() => reply.text("ok [s1]"));
});
afterAll(async () => {
  await models.close();
});

/** An agent whose planner appends `leak()` to the prompt: the bug under test. */
function brokenAgent(leak: () => string) {
  return buildAgent(data, models, {
    planner: (cloud) => {
      const inner = createModelPlanner({ model: cloud });
      return {
        name: "broken",
        location: "cloud",
        plan: (request, opts) => inner.plan({ ...request, prompt: `${request.prompt}\n${leak()}` }, opts),
      };
    },
  });
}

async function firstTurn(leak: () => string) {
  const { agent } = brokenAgent(leak);
  const session = agent.createSession();
  const x = data.patients[0]!; // Renée Lefèvre: accents, so escapes matter
  models.cloud.handle((req) =>
    // A second turn that got through (the known gap) plans nothing; the test then fails on "not blocked".
    /<PERSON_\d+>/.test(promptOf(req))
      ? reply.json({
          steps: [
            { id: "s1", tool: "find_patient_by_name", args: { name: placeholder(promptOf(req), "PERSON") } },
            { id: "s2", tool: "visits_of_patient", args: { patient_id: { $ref: "s1", path: "rows[0].id" } } },
          ],
        })
      : reply.json({ steps: [] }),
  );
  const first = await agent.run(`Visits of ${x.name}?`, { session });
  const row = (first.steps[0]!.output as { rows: Array<Record<string, string>> }).rows[0]!;
  const visit = (first.steps[1]!.output as { rows: Array<Record<string, string>> }).rows[0]!;
  return { agent, session, row, visit };
}

async function expectBlocked(
  encode: (r: { row: Record<string, string>; visit: Record<string, string> }) => string,
) {
  let leaked = "";
  const { agent, session, row, visit } = await firstTurn(() => leaked);
  leaked = `Previous result: ${encode({ row, visit })}`;
  const before = models.cloud.requests.length;
  const error = await agent.run("Anything else?", { session }).catch((e) => e);
  expect(isFlmError(error, "EGRESS_BLOCKED"), String(error)).toBe(true);
  expect(error.message).not.toContain(row.name);
  expect(models.cloud.requests.length).toBe(before); // nothing was sent
  await agent.close();
}

describe("a buggy prompt builder that includes a tool result is blocked at the guard", () => {
  // The diagnosis and visit summary are in no sensitive column and are not canaries: only the
  // session's tool-result taint knows them.
  it("verbatim", () => expectBlocked(({ row }) => row.diagnosis!));
  it("in a different case", () => expectBlocked(({ visit }) => visit.summary!.toUpperCase()));
  it("inside JSON with escaped quotes", () => expectBlocked(({ visit }) => JSON.stringify(visit)));
  it("split across a line break within a sentence", () =>
    expectBlocked(
      ({ visit }) =>
        `the summary was: ${visit.summary!.split(" ").slice(0, 4).join(" ")}\n${visit.summary!.split(" ").slice(4).join(" ")}`,
    ));
  it("a sensitive value with accents, upper-cased", () =>
    expectBlocked(({ row }) => row.name!.toUpperCase()));
  it("the whole row as JSON", () => expectBlocked(({ row }) => JSON.stringify(row)));

  // FOUND GAP (see report): the guard decodes the body's JSON once, so escapes of a second level
  // (a prompt that embeds ASCII-only JSON, e.g. Python's json.dumps default) are not resolved and
  // "Ren\u00e9e Lef\u00e8vre" tokenizes as "ren u00e9e lef u00e8vre". Fix belongs in
  // src/privacy/egress-guard.ts scanText (also scan strings with JSON escapes resolved once more).
  it("a sensitive value \\u-escaped inside embedded JSON", () =>
    expectBlocked(({ row }) => asciiEscaped(JSON.stringify({ patient: row.name }))));
});

describe("a second cloud call made during execution is blocked too", () => {
  it("a tool that sends an earlier step's output to the cloud fails with EGRESS_BLOCKED, nothing sent", async () => {
    let built: ReturnType<typeof buildAgent> | undefined;
    const summarize = defineTool({
      name: "summarize_remotely",
      description: "Summarizes a text with the cloud model",
      input: z.object({ text: z.string() }),
      run: async ({ text }) =>
        (await generateText({ model: built!.cloud, prompt: text, maxRetries: 0 })).text,
    });
    built = buildAgent(data, models);
    const { createAgent } = await import("../../src/agent/create-agent.js");
    const agent = createAgent({
      planner: built.cloud,
      generator: models.generator,
      tools: [built.source, summarize],
      privacy: built.privacy,
    });
    models.cloud.handle((req) =>
      reply.json({
        steps: [
          { id: "s1", tool: "find_patient_by_name", args: { name: placeholder(promptOf(req), "PERSON") } },
          { id: "s2", tool: "summarize_remotely", args: { text: { $ref: "s1", path: "rows[0].diagnosis" } } },
        ],
      }),
    );
    const before = models.cloud.requests.length;
    const result = await agent.run(`Summarize the case of ${data.patients[2]!.name}.`);
    expect(result.steps[0]!.status).toBe("ok");
    expect(result.steps[1]!.status).toBe("failed");
    expect(result.steps[1]!.error?.message).toContain("Blocked a request");
    expect(models.cloud.requests.length).toBe(before + 1); // the plan only
    expect(models.cloud.allBodies()).not.toContain(data.patients[2]!.diagnosis);
    await agent.close();
  });
});
