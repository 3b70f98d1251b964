import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { createLlamaModel } from "../../src/models/llama/index.js";
import { buildTinyLlamaGguf, generatedTestModelPath, writeTinyLlamaGguf } from "./gguf-writer.js";

describe("gguf-writer", () => {
  it("is deterministic per seed", () => {
    expect(buildTinyLlamaGguf({ seed: 1 }).equals(buildTinyLlamaGguf({ seed: 1 }))).toBe(true);
    expect(buildTinyLlamaGguf({ seed: 1 }).equals(buildTinyLlamaGguf({ seed: 2 }))).toBe(false);
  });

  it("writes a GGUF v3 file that node-llama-cpp reads, with llama metadata and tensors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flm-gguf-"));
    const path = writeTinyLlamaGguf(join(dir, "m.gguf"), { contextLength: 1024 });
    const info = await readGgufFileInfo(path, { readTensorInfo: true });
    expect(info.version).toBe(3);
    expect(info.metadata.general.architecture).toBe("llama");
    expect((info.metadata as any).llama.context_length).toBe(1024);
    expect((info.metadata as any).tokenizer.ggml.model).toBe("llama");
    expect(info.tensorInfo?.map((t) => t.name)).toContain("blk.0.attn_q.weight");
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads in the real runtime, tokenizes and generates", async () => {
    const model = createLlamaModel({ modelPath: generatedTestModelPath(), contextSize: 256 });
    try {
      expect(await model.contextWindow()).toBe(256);
      expect(await model.countTokens("the cat")).toBeGreaterThan(0);
      const result = await model.doGenerate({
        prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
        maxOutputTokens: 4,
        seed: 1,
      });
      expect(result.usage.outputTokens.total).toBe(4);
    } finally {
      await model.dispose();
    }
  });
});
