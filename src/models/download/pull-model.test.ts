import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTinyLlamaGguf } from "../../../test/helpers/gguf-writer.js";
import { isFlmError } from "../../errors/flm-error.js";
import { cacheFileNameFor, defaultModelCacheDir, pullModel } from "./index.js";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("pullModel (local HTTP server)", () => {
  const gguf = buildTinyLlamaGguf({ seed: 7 });
  const served: string[] = [];
  let server: Server;
  let origin: string;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), "flm-pull-"));
    server = createServer((req, res) => {
      served.push(`${req.method} ${req.url} ${req.headers.range ?? ""}`);
      const slow = req.url?.startsWith("/slow/");
      if (!req.url?.startsWith("/models/tiny.gguf") && !slow) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
      const start = range ? Number(range[1]) : 0;
      const end = range?.[2] ? Number(range[2]) : gguf.length - 1;
      const body = gguf.subarray(start, end + 1);
      const headers = {
        "content-type": "application/octet-stream",
        "accept-ranges": "bytes",
        "content-length": String(body.length),
      };
      if (range) res.writeHead(206, { ...headers, "content-range": `bytes ${start}-${end}/${gguf.length}` });
      else res.writeHead(200, headers);
      if (req.method === "HEAD") return res.end();
      // Several chunks so progress is observable.
      let offset = 0;
      const step = Math.ceil(body.length / (slow ? 20 : 4));
      const push = () => {
        if (offset >= body.length) return res.end();
        res.write(body.subarray(offset, offset + step));
        offset += step;
        setTimeout(push, slow ? 300 : 5);
      };
      push();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
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
