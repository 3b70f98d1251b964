import { mkdtempSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFlmError } from "../../errors/flm-error.js";
import { pullModel } from "./index.js";

// A host that accepts connections and then says nothing, as a dead proxy or a captive network does.
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.gguf`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("pullModel on a silent host", () => {
  it("gives up after the stall timeout with a typed error, leaving nothing behind", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "flm-stall-"));
    const t0 = Date.now();
    const error = await pullModel(url, { cacheDir, stallTimeoutMs: 400 }).catch((e) => e);
    expect(isFlmError(error, "MODEL_DOWNLOAD_FAILED")).toBe(true);
    expect(error.message).toMatch(/no answer or no progress/);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});
