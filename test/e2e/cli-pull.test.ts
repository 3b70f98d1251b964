/** `flm pull` end to end: the real binary downloads a generated GGUF from a server on 127.0.0.1. */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FileServer, startGgufFileServer } from "../helpers/gguf-file-server.js";
import { buildTinyLlamaGguf } from "../helpers/gguf-writer.js";
import { runCli } from "./cli-helpers.js";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

const gguf = buildTinyLlamaGguf({ seed: 11 });
let server: FileServer;
let served: string[];
let origin: string;
let dir: string;
let cache: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flm-pull-e2e-"));
  cache = join(dir, "cache");
  server = await startGgufFileServer(gguf);
  ({ served, origin } = server);
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("flm pull end to end", { timeout: 30_000 }, () => {
  it("downloads into FLM_MODEL_CACHE, prints the path, then reports the cached copy", async () => {
    const env = { FLM_MODEL_CACHE: cache };
    const first = await runCli(["pull", `${origin}/models/tiny.gguf`], { cwd: dir, env });
    expect(first.stderr).not.toMatch(/\n\s+at /);
    expect(first.code).toBe(0);
    const path = join(cache, "tiny.gguf");
    expect(first.stdout.trim().split("  ")[0]).toBe(path);
    expect(first.stdout).not.toContain("already in the cache");
    expect(sha256(readFileSync(path))).toBe(sha256(gguf));
    expect(readdirSync(cache)).toEqual(["tiny.gguf"]); // no temp files left behind

    const requests = served.length;
    const second = await runCli(["pull", `${origin}/models/tiny.gguf`], { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(path);
    expect(second.stdout).toContain("already in the cache");
    expect(served.length).toBe(requests); // no network access at all
  });

  it("a 404 exits 1 with MODEL_DOWNLOAD_FAILED, a hint, no stack and no file", async () => {
    const r = await runCli(["pull", `${origin}/models/missing.gguf`], {
      cwd: dir,
      env: { FLM_MODEL_CACHE: cache },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error MODEL_DOWNLOAD_FAILED: .*404/m);
    expect(r.stderr).toContain("Pass a path to a local .gguf file"); // the hint says what to do
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
    expect(existsSync(join(cache, "missing.gguf"))).toBe(false);
  });

  it("a missing URI is a usage error (exit 2)", async () => {
    const r = await runCli(["pull"], { cwd: dir, env: { FLM_MODEL_CACHE: cache } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing required argument 'model-uri'");
  });
});
