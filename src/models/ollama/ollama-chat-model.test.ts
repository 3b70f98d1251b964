import { readFileSync } from "node:fs";
import { generateText, jsonSchema, Output, streamText, tool } from "ai";
import { Ajv, type ValidateFunction } from "ajv";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  type FakeOllamaServer,
  ollamaReply,
  startFakeOllamaServer,
} from "../../testing/fake-ollama-server.js";
import { sharedFile } from "../../../test/helpers/shared-dir.js";
import { isFlmError } from "../../errors/flm-error.js";
import { createOllamaEmbedFunction, createOllamaModel, ollamaEmbed } from "./index.js";

function loadSpecValidator(name: string): ValidateFunction | undefined {
  const file = sharedFile("specs", "ollama-openapi.yaml");
  if (!file) return undefined;
  const spec = parse(readFileSync(file, "utf8"));
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: "ollama", components: spec.components });
  return ajv.getSchema(`ollama#/components/schemas/${name}`);
}

describe("createOllamaModel (fake Ollama on 127.0.0.1)", () => {
  let server: FakeOllamaServer;
  const validateChat = loadSpecValidator("ChatRequest");
  const validateEmbed = loadSpecValidator("EmbedRequest");

  beforeAll(async () => {
    server = await startFakeOllamaServer();
  });
  afterAll(async () => {
    await server.close();
  });
  // Every request the tests send is kept and checked against the official spec by the last test
  // (skipped, visibly, without ../shared).
  const sent: Array<{ path: string; json: unknown; test: string }> = [];
  afterEach(() => {
    const test = expect.getState().currentTestName ?? "";
    for (const request of server.requests) sent.push({ path: request.path, json: request.json, test });
    server.requests.length = 0;
  });

  const model = () =>
    createOllamaModel({
      baseURL: `${server.url}/api`,
      model: "llama3.2:3b",
      contextWindow: 16384,
      keepAlive: "30m",
    });

  it("streams NDJSON and sends num_ctx, keep_alive and sampling options", async () => {
    server.enqueue(ollamaReply.text(["Hel", "lo", " world"]));
    const result = streamText({
      model: model(),
      system: "be brief",
      prompt: "hi",
      temperature: 0.2,
      maxOutputTokens: 50,
      seed: 3,
      stopSequences: ["END"],
    });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe("Hello world");
    expect(await result.finishReason).toBe("stop");
    expect((await result.usage).outputTokens).toBe(3);
    const body = server.requests[0].json;
    expect(body).toMatchObject({
      model: "llama3.2:3b",
      stream: true,
      keep_alive: "30m",
      options: { num_ctx: 16384, temperature: 0.2, num_predict: 50, seed: 3, stop: ["END"] },
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
      ],
    });
    expect(await model().contextWindow()).toBe(16384);
  });

  it("generates without streaming and maps length finishes", async () => {
    server.enqueue(ollamaReply.text("cut", { doneReason: "length" }));
    const result = await generateText({ model: model(), prompt: "x" });
    expect(result.text).toBe("cut");
    expect(result.finishReason).toBe("length");
    expect(server.requests[0].json.stream).toBe(false);
    expect(server.requests[0].json.options.num_ctx).toBe(16384);
  });

  it("sends the JSON schema as `format` for structured output", async () => {
    server.enqueue(ollamaReply.text('{"ok":true}'));
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] } as const;
    const { output } = await generateText({
      model: model(),
      prompt: "status",
      output: Output.object({ schema: jsonSchema<{ ok: boolean }>(schema) }),
    });
    expect(output).toEqual({ ok: true });
    expect(server.requests[0].json.format).toMatchObject(schema);
  });

  it("offers tools, returns calls for the SDK to run, and sends results back", async () => {
    server.enqueue(
      ollamaReply.toolCalls([{ name: "weather", arguments: { city: "Paris" } }]),
      ollamaReply.text("It is sunny."),
    );
    const seen: unknown[] = [];
    const result = await generateText({
      model: model(),
      prompt: "weather in Paris?",
      stopWhen: ({ steps }) => steps.length >= 2,
      tools: {
        weather: tool({
          description: "current weather",
          inputSchema: jsonSchema<{ city: string }>({
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
          }),
          execute: async (input) => {
            seen.push(input);
            return { sky: "sunny" };
          },
        }),
      },
    });
    expect(seen).toEqual([{ city: "Paris" }]);
    expect(result.text).toBe("It is sunny.");
    expect(server.requests[0].json.tools[0]).toMatchObject({
      type: "function",
      function: { name: "weather" },
    });
    const second = server.requests[1].json.messages;
    expect(second.at(-2)).toMatchObject({
      role: "assistant",
      tool_calls: [{ function: { name: "weather", arguments: { city: "Paris" } } }],
    });
    expect(second.at(-1)).toMatchObject({ role: "tool", tool_name: "weather" });
    expect(JSON.parse(second.at(-1).content)).toEqual({ sky: "sunny" });
  });

  it("streams thinking as reasoning", async () => {
    server.enqueue(ollamaReply.text("answer", { thinking: "hmm" }));
    const result = streamText({ model: model(), prompt: "q" });
    expect(await result.text).toBe("answer");
    expect(await result.reasoningText).toBe("hmm");
  });

  it("aborts a streaming request", async () => {
    const reason = new Error("caller left");
    server.enqueue(
      ollamaReply.text(
        Array.from({ length: 50 }, (_, i) => `t${i} `),
        { chunkDelayMs: 20 },
      ),
    );
    const controller = new AbortController();
    const { stream } = await model().doStream({
      prompt: [{ role: "user", content: [{ type: "text", text: "go" }] }],
      abortSignal: controller.signal,
    });
    const reader = stream.getReader();
    let deltas = 0;
    const error = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        if (value.type === "text-delta" && ++deltas === 2) controller.abort(reason);
      }
    })().catch((e) => e);
    // The stream errors with the caller's abort reason, as AI SDK models do.
    expect(error).toBe(reason);
    expect(deltas).toBeLessThan(50);
  });

  it("gives a typed error saying what to do when the model is missing", async () => {
    server.enqueue(ollamaReply.error(404, 'model "nope" not found, try pulling it first'));
    const error = await Promise.resolve(
      model().doGenerate({ prompt: [{ role: "user", content: [{ type: "text", text: "x" }] }] }),
    ).catch((e: any) => e);
    expect(isFlmError(error, "OLLAMA_REQUEST_FAILED")).toBe(true);
    expect(error.message).toMatch(/ollama pull/);
    expect(error.status).toBe(404);
  });

  it("gives a typed error when Ollama is not running", async () => {
    const offline = createOllamaModel({ baseURL: "http://127.0.0.1:9", model: "x" });
    const error = await Promise.resolve(
      offline.doGenerate({ prompt: [{ role: "user", content: [{ type: "text", text: "x" }] }] }),
    ).catch((e: any) => e);
    expect(isFlmError(error, "OLLAMA_REQUEST_FAILED")).toBe(true);
    expect(error.message).toMatch(/ollama serve/);
  });

  it("embeds texts in batches through /api/embed", async () => {
    const embed = ollamaEmbed({ baseURL: server.url, model: "nomic-embed-text", batchSize: 2 });
    const vectors = await embed(["a", "bb", "ccc"]);
    expect(vectors).toHaveLength(3);
    expect(vectors[0]).toHaveLength(4);
    expect(server.requests.map((r) => r.json.input)).toEqual([["a", "bb"], ["ccc"]]);
    expect(server.requests[0].json.model).toBe("nomic-embed-text");
  });

  it("refuses to embed on a host that resolves to a public address, unless trusted", async () => {
    const resolveHost = async () => ["34.117.59.81"];
    const embed = createOllamaEmbedFunction({
      baseURL: "http://embed.internal:11434",
      model: "m",
      resolveHost,
    });
    await expect(embed(["x"])).rejects.toMatchObject({ code: "OLLAMA_HOST_REFUSED" });
    expect(ollamaEmbed).toBe(createOllamaEmbedFunction);
  });

  it.skipIf(!validateChat || !validateEmbed)("sent only requests valid per Ollama's OpenAPI spec", () => {
    const checked = sent.filter((r) => r.path === "/api/chat" || r.path === "/api/embed");
    expect(checked.length).toBeGreaterThan(0);
    for (const request of checked) {
      const validate = request.path === "/api/chat" ? validateChat! : validateEmbed!;
      expect(
        validate(request.json),
        `${request.path} from "${request.test}": ${JSON.stringify(validate.errors)}`,
      ).toBe(true);
    }
  });

  it.skipIf(!validateChat)("rejects an invalid request shape (the spec check can fail)", () => {
    expect(validateChat?.({ messages: [] })).toBe(false);
  });
});
