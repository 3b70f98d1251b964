import { generateText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ollamaReply, startFakeOllamaServer } from "../testing/fake-ollama-server.js";
import { type FakeOpenAIServer, reply, startFakeOpenAIServer } from "../testing/fake-openai-server.js";
import { parseModelSpec, resolveModel } from "./resolve-model.js";

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(async () => {
  await server.close();
});

describe("resolveModel", () => {
  it("parses provider:model and URL#model specs", () => {
    expect(parseModelSpec("openai:gpt-4o")).toEqual({ provider: "openai", model: "gpt-4o" });
    expect(parseModelSpec("ollama:qwen2.5:3b")).toEqual({ provider: "ollama", model: "qwen2.5:3b" });
    expect(parseModelSpec("http://127.0.0.1:8000/v1#llama")).toEqual({
      provider: "openai-compatible",
      baseURL: "http://127.0.0.1:8000/v1",
      model: "llama",
    });
    expect(() => parseModelSpec("gpt-4o")).toThrow(/provider:model/);
    expect(() => parseModelSpec("http://x/v1")).toThrow(/#model-name/);
  });

  it("builds working models that go through the given fetch", async () => {
    let fetched = 0;
    const countingFetch: typeof fetch = (input, init) => {
      fetched++;
      return fetch(input, init);
    };
    const env = { OPENAI_API_KEY: "k" };
    for (const spec of [
      { provider: "openai", model: "gpt-x", baseURL: server.url },
      `${server.url}#local-model`,
    ] as const) {
      server.enqueue(reply.text("hi"));
      const { text } = await generateText({
        model: resolveModel(spec, { env, fetch: countingFetch }),
        prompt: "hello",
        maxRetries: 0,
      });
      expect(text).toBe("hi");
    }
    expect(fetched).toBe(2);
    expect(server.requests.map((r) => r.json.model)).toEqual(["gpt-x", "local-model"]);
    expect(server.requests[0].headers.authorization).toBe("Bearer k");
  });

  it("resolves ollama: to Ollama's native API with the context window and keep_alive set", async () => {
    const ollama = await startFakeOllamaServer();
    try {
      ollama.enqueue(ollamaReply.text("hi"));
      const model = resolveModel(
        { provider: "ollama", model: "qwen2.5:3b", contextWindow: 16384 },
        { env: { OLLAMA_BASE_URL: `${ollama.url}/v1` } },
      );
      const { text } = await generateText({ model, prompt: "hello", maxRetries: 0 });
      expect(text).toBe("hi");
      expect(ollama.requests[0].path).toBe("/api/chat");
      expect(ollama.requests[0].json.options.num_ctx).toBe(16384);
      expect(ollama.requests[0].json.keep_alive).toBeDefined();
    } finally {
      await ollama.close();
    }
  });

  it("says which environment variable to set when a key is missing", () => {
    expect(() => resolveModel("openai:gpt-4o", { env: {} })).toThrow(/OPENAI_API_KEY/);
    expect(() => resolveModel("anthropic:claude", { env: {} })).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => resolveModel("google:gemini", { env: {} })).toThrow(/GOOGLE_GENERATIVE_AI_API_KEY/);
    expect(() => resolveModel("foo:bar", { env: {} })).toThrow(/Unknown model provider/);
  });

  it("creates anthropic and google models when keys are present", () => {
    expect(
      resolveModel("anthropic:claude-sonnet-4-5", { env: { ANTHROPIC_API_KEY: "k" } }).provider,
    ).toContain("anthropic");
    expect(
      resolveModel("google:gemini-2.5-pro", { env: { GOOGLE_GENERATIVE_AI_API_KEY: "k" } }).provider,
    ).toContain("google");
  });
});
