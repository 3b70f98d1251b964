import { afterAll, describe, expect, it } from "vitest";
import { startFakeOllamaServer, ollamaReply } from "../../test/helpers/fake-ollama-server.js";
import { reply, startFakeOpenAIServer } from "../../test/helpers/fake-openai-server.js";
import { testModelPath } from "../../test/helpers/gguf-writer.js";
import { createLlamaModel } from "../models/llama/index.js";
import { resolveModel } from "../models/resolve-model.js";
import { createLocalReviewer, REVIEW_SCHEMA, spansFromReview } from "./local-review.js";

const prompt = "ask kjell about the bravewick rollout, order QX-77 for Kjell";

describe("spansFromReview", () => {
  it("marks every occurrence of each listed string, and ignores strings the prompt does not contain", () => {
    const spans = spansFromReview(prompt, {
      private: [
        { text: "Kjell", kind: "PERSON" },
        { text: "bravewick", kind: "TERM" },
        { text: "Invented Person", kind: "PERSON" },
        { text: "a", kind: "TERM" },
      ],
    });
    expect(spans.map((s) => `${s.type}:${prompt.slice(s.start, s.end)}`)).toEqual([
      "PERSON:kjell",
      "PERSON:Kjell",
      "TERM:bravewick",
    ]);
    expect(spansFromReview(prompt, { nothing: true })).toEqual([]);
  });
});

describe("local review through the local model's protocol", () => {
  it("sends the schema as response_format to an OpenAI-compatible server", async () => {
    const server = await startFakeOpenAIServer();
    try {
      server.enqueue(reply.json({ private: [{ text: "bravewick", kind: "TERM" }] }));
      const reviewer = createLocalReviewer({ model: resolveModel(`${server.url}#local-model`) });
      const result = await reviewer.review(prompt);
      expect(result.spans.map((s) => s.value)).toEqual(["bravewick"]);
      expect(result.ms).toBeGreaterThan(0);
      const format = server.requests[0]!.json.response_format;
      expect(format.type).toBe("json_schema");
      expect(format.json_schema.schema).toEqual(REVIEW_SCHEMA);
    } finally {
      await server.close();
    }
  });

  it("sends the schema as Ollama's format", async () => {
    const server = await startFakeOllamaServer();
    try {
      server.enqueue(ollamaReply.text(JSON.stringify({ private: [{ text: "QX-77", kind: "ID" }] })));
      const reviewer = createLocalReviewer({
        model: resolveModel({ provider: "ollama", model: "m", baseURL: server.url }),
      });
      const result = await reviewer.review(prompt);
      expect(result.spans.map((s) => s.value)).toEqual(["QX-77"]);
      expect(server.requests[0]!.json.format).toEqual(REVIEW_SCHEMA);
    } finally {
      await server.close();
    }
  });

  it("contributes nothing, with the reason, when the model does not answer in time or answers garbage", async () => {
    const server = await startFakeOpenAIServer();
    try {
      server.enqueue(reply.hang(), reply.text("not json"));
      const reviewer = createLocalReviewer({ model: resolveModel(`${server.url}#m`), timeoutMs: 300 });
      const slow = await reviewer.review(prompt);
      expect(slow.spans).toEqual([]);
      expect(slow.error).toMatch(/no reply within 300 ms/);
      const garbled = await reviewer.review(prompt);
      expect(garbled).toMatchObject({ spans: [], error: "the reply was not JSON" });
    } finally {
      await server.close();
    }
  });
});

describe("local review on the in-process model (grammar)", () => {
  const model = createLlamaModel({ modelPath: testModelPath("tiny-random"), contextSize: 1024 });
  afterAll(() => model.dispose());
  it("always gets schema-valid JSON back; only strings of the prompt become spans", async () => {
    const reviewer = createLocalReviewer({ model, maxOutputTokens: 120 });
    const result = await reviewer.review(prompt);
    // A reply cut by maxOutputTokens is the only way out of the grammar.
    if (result.error) expect(result.error).toBe("the reply was not JSON");
    for (const s of result.spans)
      expect(prompt.slice(s.start, s.end).toLowerCase()).toBe(s.value.toLowerCase());
    expect(result.ms).toBeGreaterThan(0);
  }, 60_000);
});
