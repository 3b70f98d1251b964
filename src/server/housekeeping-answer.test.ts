import { createOpenAI } from "@ai-sdk/openai";
import { generateText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { libreChat, openWebUi, type Turn } from "../../test/helpers/chat-ui-requests.js";
import {
  type FakeOpenAIServer,
  reply,
  startFakeOpenAIServer,
} from "../../test/helpers/fake-openai-server.js";
import { answerHousekeeping } from "./housekeeping-answer.js";
import { classifyHousekeeping, type Housekeeping } from "./housekeeping.js";

let local: FakeOpenAIServer;
beforeAll(async () => {
  local = await startFakeOpenAIServer();
});
afterAll(() => local?.close());
/** The local model asked once, as `Agent.answerLocally` does. */
const model = () => async (prompt: string) => {
  const r = await generateText({
    model: createOpenAI({ baseURL: local.url, apiKey: "local" }).chat("local"),
    prompt,
  });
  return {
    text: r.text,
    usage: { inputTokens: r.usage.inputTokens ?? 0, outputTokens: r.usage.outputTokens ?? 0 },
  };
};
const turns: Turn[] = [
  { role: "user", content: "Who is our best customer in Berlin?" },
  { role: "assistant", content: "Maria Keller, invoices totalling 1,234.56 EUR." },
];
const task = (body: unknown) => classifyHousekeeping(body) as Housekeeping;

describe("answerHousekeeping", () => {
  it("gives the local model only the conversation and returns the shape the UI parses", async () => {
    local.enqueue(reply.text('Title: "Best Berlin Customer"\n'));
    const title = await answerHousekeeping(task(openWebUi.title(turns)), model());
    expect(JSON.parse(title.text)).toEqual({ title: "Best Berlin Customer" });
    expect(local.requests.at(-1)!.body).toContain("Maria Keller");

    local.enqueue(reply.text("Sales, Customers\nBerlin"));
    expect(JSON.parse((await answerHousekeeping(task(openWebUi.tags(turns)), model())).text)).toEqual({
      tags: ["Sales", "Customers", "Berlin"],
    });

    local.enqueue(reply.text("1. What did she buy?\n2. Which other customers are in Berlin?"));
    expect(JSON.parse((await answerHousekeeping(task(openWebUi.followUps(turns)), model())).text)).toEqual({
      follow_ups: ["What did she buy?", "Which other customers are in Berlin?"],
    });

    local.enqueue(reply.text("in 2013 for Berlin"));
    expect(
      JSON.parse(
        (await answerHousekeeping(task(openWebUi.autocomplete(turns, "Show me the invoices")), model())).text,
      ),
    ).toEqual({
      text: "in 2013 for Berlin",
    });
  });

  it("answers search-query requests with no queries, without a model call", async () => {
    const before = local.requests.length;
    expect(JSON.parse((await answerHousekeeping(task(openWebUi.queries(turns)), model())).text)).toEqual({
      queries: [],
    });
    expect(local.requests.length).toBe(before);
  });

  it("fills LibreChat's forced tool call and JSON schema, and plain titles", async () => {
    local.enqueue(reply.text("Berlin Top Customer"));
    const call = await answerHousekeeping(task(libreChat.titleStructured("q", "a")), model());
    expect(call.toolCall).toEqual({
      name: "extract",
      arguments: JSON.stringify({ language: "English", title: "Berlin Top Customer" }),
    });
    local.enqueue(reply.text("Berlin Top Customer"));
    expect(
      JSON.parse((await answerHousekeeping(task(libreChat.titleJsonSchema("q", "a")), model())).text),
    ).toEqual({
      language: "English",
      title: "Berlin Top Customer",
    });
    local.enqueue(reply.text("Berlin Top Customer"));
    expect((await answerHousekeeping(task(libreChat.titleCompletion("q", "a")), model())).text).toBe(
      "Berlin Top Customer",
    );
  });

  it("falls back to the user's own words when the local model says nothing useful", async () => {
    local.enqueue(reply.text(""));
    const title = await answerHousekeeping(task(openWebUi.title(turns)), model());
    expect(JSON.parse(title.text)).toEqual({ title: "Who is our best customer" });
    local.enqueue(reply.text("!!"));
    expect(JSON.parse((await answerHousekeeping(task(openWebUi.tags(turns)), model())).text)).toEqual({
      tags: ["General"],
    });
  });
});
