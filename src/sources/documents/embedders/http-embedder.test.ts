import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeEmbedServer,
  hashEmbedding,
  startFakeEmbedServer,
} from "../../../../bench/documents-fixtures.js";
import { createOllamaEmbedder, createOpenAICompatibleEmbedder } from "./http-embedder.js";
import { assertLocalEndpoint, isPrivateAddress } from "./local-host-policy.js";

let server: FakeEmbedServer;
beforeAll(async () => {
  server = await startFakeEmbedServer(32);
});
afterAll(() => server?.close());

describe("HTTP embedders", () => {
  it("Ollama /api/embed: batches and returns one vector per text", async () => {
    const embedder = createOllamaEmbedder({ baseUrl: server.url, model: "nomic", batchSize: 2 });
    const before = server.requests.length;
    const vectors = await embedder.embed(["a b", "c", "d e f"]);
    expect(vectors).toEqual([hashEmbedding("a b", 32), hashEmbedding("c", 32), hashEmbedding("d e f", 32)]);
    expect(server.requests.slice(before).map((r) => r.body.input)).toEqual([["a b", "c"], ["d e f"]]);
    expect(embedder).toMatchObject({ local: true, id: "ollama:nomic" });
  });

  it("OpenAI-compatible /v1/embeddings", async () => {
    const embedder = createOpenAICompatibleEmbedder({
      baseUrl: `${server.url}/v1`,
      model: "bge",
      apiKey: "k",
    });
    expect(await embedder.embed(["hello world"])).toEqual([hashEmbedding("hello world", 32)]);
    expect(server.requests.at(-1)?.body).toMatchObject({ model: "bge", input: ["hello world"] });
  });

  it("refuses a public host before sending anything, unless marked trusted", async () => {
    let called = 0;
    const fakeFetch = (async () => {
      called++;
      return new Response(JSON.stringify({ embeddings: [[1]] }));
    }) as typeof fetch;
    for (const baseUrl of ["http://8.8.8.8:11434", "https://[2606:4700::1111]/v1", "http://172.32.0.1"]) {
      const embedder = createOpenAICompatibleEmbedder({ baseUrl, model: "m", fetch: fakeFetch });
      await expect(embedder.embed(["secret passage"])).rejects.toMatchObject({
        code: "DOC_EMBEDDER_HOST_REFUSED",
      });
    }
    expect(called).toBe(0);
    const trusted = createOllamaEmbedder({
      baseUrl: "http://8.8.8.8:11434",
      model: "m",
      fetch: fakeFetch,
      trusted: true,
    });
    expect(await trusted.embed(["x"])).toEqual([[1]]);
    expect(called).toBe(1);
  });

  it("classifies private and loopback addresses", async () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.5",
      "::1",
      "fd12::1",
      "::ffff:192.168.0.1",
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
      expect(isPrivateAddress(a), a).toBe(false);
    await expect(assertLocalEndpoint("http://localhost:11434", false)).resolves.toBeUndefined();
    await expect(assertLocalEndpoint("not a url", false)).rejects.toMatchObject({
      code: "DOC_EMBEDDER_HOST_REFUSED",
    });
  });

  it("refuses an embedding host whose name resolves to a public address (one trust policy)", async () => {
    const resolveHost = async (name: string) => (name === "embed.internal" ? ["34.117.59.81"] : ["10.1.1.1"]);
    const publicHost = createOllamaEmbedder({
      baseUrl: "http://embed.internal:11434",
      model: "m",
      resolveHost,
    });
    await expect(publicHost.embed(["x"])).rejects.toMatchObject({
      code: "DOC_EMBEDDER_HOST_REFUSED",
      message: expect.stringContaining("34.117.59.81"),
    });
    await expect(assertLocalEndpoint("http://embed.lan:11434", false, resolveHost)).resolves.toBeUndefined();
  });

  it("reports an unreachable server and a bad response with typed errors", async () => {
    const down = createOllamaEmbedder({ baseUrl: "http://127.0.0.1:9", model: "m" });
    await expect(down.embed(["x"])).rejects.toMatchObject({ code: "DOC_EMBEDDER_FAILED" });
    const wrongPath = createOpenAICompatibleEmbedder({ baseUrl: server.url, model: "m" }); // missing /v1
    await expect(wrongPath.embed(["x"])).rejects.toMatchObject({ code: "DOC_EMBEDDER_FAILED" });
  });
});
