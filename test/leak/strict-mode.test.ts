/**
 * Strict mode at the protocol level: the real agent, the real privacy firewall in strict mode, a
 * fake cloud planner recording every byte. What the user typed and strict mode does not vouch for
 * (project and product names, codes, handles, non-Latin names, lower-case organisations) never
 * reaches the cloud; the tools still receive the real values; the planner cannot invent a
 * placeholder; the tools' own words stay readable.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAgent } from "../../src/agent/create-agent.js";
import { resolveModel } from "../../src/models/resolve-model.js";
import { createPrivacy } from "../../src/privacy/agent-privacy.js";
import { REVIEW_SCHEMA } from "../../src/privacy/local-review.js";
import { defineTool } from "../../src/tools/define-tool.js";
import { type FakeModels, startFakeModels } from "../helpers/fake-models.js";
import { reply } from "../helpers/fake-openai-server.js";

let models: FakeModels;
beforeAll(async () => {
  models = await startFakeModels();
});
afterAll(async () => {
  await models.close();
});

const PROMPTS: Array<{ prompt: string; secrets: string[] }> = [
  { prompt: "find tickets about the brackenfold rollout for tom okafor", secrets: ["brackenfold", "okafor"] },
  {
    prompt: "open tickets of quill_master_9 about build QX-7713-B",
    secrets: ["quill_master_9", "QX-7713-B"],
  },
  { prompt: "找给王小明的工单, zentrix gmbh, login zentrix.admin", secrets: ["王小明", "zentrix"] },
  {
    prompt: "any tickets mentioning the VRTQ team or @lanternfish_dev?",
    secrets: ["VRTQ", "lanternfish_dev"],
  },
  // Nothing detects this one: only the allow-list keeps it home.
  { prompt: "find tickets where the customer mentioned zorvanix", secrets: ["zorvanix"] },
];

function agentWith(received: string[], mode: "standard" | "strict" = "strict") {
  const searchTickets = defineTool({
    name: "search_helpdesk_tickets",
    description: "Searches the helpdesk tickets by free text (customer, product, team or code)",
    input: z.object({ text: z.string() }),
    run: async ({ text }) => {
      received.push(text);
      return { rows: [{ id: 7, status: "open" }] };
    },
  });
  const privacy = createPrivacy({ mode, allowTerms: ["Northwind"] });
  const cloud = createOpenAI({ baseURL: models.cloud.url, apiKey: "k", fetch: privacy.cloudFetch() }).chat(
    "p",
  );
  return createAgent({ planner: cloud, generator: models.generator, tools: [searchTickets], privacy });
}

describe("strict mode: what the cloud planner receives", () => {
  it("none of the private words, while tools get the real values back", async () => {
    const received: string[] = [];
    const agent = agentWith(received);
    models.local.handle(() => reply.text("ok"));
    // The planner passes the first placeholder it sees in the question to the tool.
    models.cloud.handle((req) => {
      const users = (req.json.messages as Array<{ role: string; content: unknown }>).filter(
        (m) => m.role === "user",
      );
      const question = JSON.stringify(users.at(-1)?.content ?? "");
      const ph = /<[A-Z_]+_\d+>/.exec(question)?.[0] ?? "x";
      return reply.json({ steps: [{ id: "s1", tool: "search_helpdesk_tickets", args: { text: ph } }] });
    });
    for (const { prompt } of PROMPTS) await agent.run(prompt);
    const bodies = models.cloud.allBodies().toLowerCase();
    for (const { secrets } of PROMPTS)
      for (const s of secrets) expect(bodies, s).not.toContain(s.toLowerCase());
    // The tool words and the intent stay readable.
    expect(bodies).toContain("tickets");
    expect(bodies).toContain("find tickets about the");
    // Every tool call got an original value, never a placeholder.
    expect(received).toHaveLength(PROMPTS.length);
    for (const r of received) expect(r).not.toMatch(/<[A-Z_]+_\d+>/);
    expect(received.join(" ")).toContain("brackenfold");
  });

  it("standard mode lets an undetected word through (what strict mode is for)", async () => {
    const agent = agentWith([], "standard");
    models.local.handle(() => reply.text("ok"));
    models.cloud.handle(() => reply.json({ steps: [] }));
    const before = models.cloud.requests.length;
    await agent.run("find tickets where the customer mentioned zorvanix");
    expect(
      models.cloud.requests
        .slice(before)
        .map((r) => r.body)
        .join(""),
    ).toContain("zorvanix");
  });

  it("refuses a placeholder the question never had (repair), in strict mode too", async () => {
    const received: string[] = [];
    const agent = agentWith(received);
    models.local.handle(() => reply.text("ok"));
    let call = 0;
    models.cloud.handle(() =>
      reply.json({
        steps: [
          { id: "s1", tool: "search_helpdesk_tickets", args: { text: call++ === 0 ? "<TERM_9>" : "x" } },
        ],
      }),
    );
    const result = await agent.run("tickets about the brackenfold rollout");
    expect(result.trace.repairs).toBe(1);
    expect(received).toEqual(["x"]);
  });
});

describe("local-model review (privacy.localModelReview)", () => {
  it("replaces what the local model lists, records its time in the trace, and never sends it", async () => {
    // The local generator's server answers the review (a JSON Schema request) and the answer.
    models.local.handle((req) =>
      req.json.response_format
        ? reply.json({
            private: [
              { text: "juniper ridge", kind: "ORGANIZATION" },
              { text: "made up", kind: "TERM" },
            ],
          })
        : reply.text("ok"),
    );
    models.cloud.handle(() => reply.json({ steps: [] }));
    const privacy = createPrivacy({
      localModelReview: resolveModel(`${models.local.url}#local-model`),
    });
    const cloud = createOpenAI({ baseURL: models.cloud.url, apiKey: "k", fetch: privacy.cloudFetch() }).chat(
      "p",
    );
    const reviewed = createAgent({ planner: cloud, generator: models.generator, tools: [], privacy });
    const before = models.cloud.requests.length;
    const result = await reviewed.run("draft a note to juniper ridge about the invoice");
    const sent = models.cloud.requests
      .slice(before)
      .map((r) => r.body)
      .join("");
    expect(sent).not.toContain("juniper ridge");
    expect(sent).toContain("draft a note to <ORGANIZATION_1> about the invoice");
    expect(result.trace.stages.review).toBeGreaterThan(0);
    const review = models.local.requests.find((r) => r.json.response_format);
    expect(review?.json.response_format.json_schema.schema).toEqual(REVIEW_SCHEMA);
  });
});
