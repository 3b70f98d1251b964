import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FileServer, startGgufFileServer } from "../../../test/helpers/gguf-file-server.js";
import { buildTinyLlamaGguf } from "../../../test/helpers/gguf-writer.js";
import { isFlmError } from "../../errors/flm-error.js";
import { cacheFileNameFor, defaultModelCacheDir, pullModel } from "./index.js";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("pullModel (local HTTP server)", () => {
  const gguf = buildTinyLlamaGguf({ seed: 7 });
  let server: FileServer;
  let served: string[];
  let origin: string;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), "flm-pull-"));
    server = await startGgufFileServer(gguf);
    ({ served, origin } = server);
  });

  afterAll(async () => {
    await server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it("downloads with progress, identical bytes, then hits the cache", async () => {
    const progress: Array<{ totalSize: number; downloadedSize: number }> = [];
    const first = await pullModel(`${origin}/models/tiny.gguf`, {
      cacheDir,
      onProgress: (p) => progress.push(p),
    });
    expect(first.downloaded).toBe(true);
    expect(first.path).toBe(join(cacheDir, "tiny.gguf"));
    expect(sha256(readFileSync(first.path))).toBe(sha256(gguf));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.downloadedSize).toBe(gguf.length);
    expect(readdirSync(cacheDir)).toEqual(["tiny.gguf"]);

    const requestsBefore = served.length;
    const second = await pullModel(`${origin}/models/tiny.gguf`, { cacheDir });
    expect(second).toEqual({ path: first.path, downloaded: false });
    expect(served.length).toBe(requestsBefore);
  });

  it("gives a typed error on 404 saying what to do, and leaves no file", async () => {
    const error = await pullModel(`${origin}/missing/nothing.gguf`, { cacheDir }).catch((e) => e);
    expect(isFlmError(error, "MODEL_DOWNLOAD_FAILED")).toBe(true);
    expect(error.message).toMatch(/404/);
    expect(error.message).toMatch(/path to a local \.gguf/);
    expect(error.message).toMatch(/Ollama/);
    expect(readdirSync(cacheDir).filter((f) => f.startsWith("nothing"))).toEqual([]);
  });

  it("cancels through the signal without leaving a complete-looking file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flm-pull-abort-"));
    const controller = new AbortController();
    const error = await pullModel(`${origin}/slow/tiny.gguf`, {
      cacheDir: dir,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }).catch((e) => e);
    expect(error?.code).toBe("MODEL_DOWNLOAD_ABORTED");
    expect(readdirSync(dir).includes("tiny.gguf")).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it("derives cache names and honours FLM_MODEL_CACHE", () => {
    expect(cacheFileNameFor("https://x.test/a/b/model-q4.gguf?download=1")).toBe("model-q4.gguf");
    expect(cacheFileNameFor("hf:user/repo/file.gguf")).toBe("user_repo_file.gguf");
    const saved = process.env.FLM_MODEL_CACHE;
    process.env.FLM_MODEL_CACHE = "/tmp/flm-cache-test";
    expect(defaultModelCacheDir()).toBe("/tmp/flm-cache-test");
    if (saved === undefined) delete process.env.FLM_MODEL_CACHE;
    else process.env.FLM_MODEL_CACHE = saved;
  });
});
