/**
 * The console's page weight: bytes of each page's HTML plus the stylesheet and script it loads
 * (raw and gzip), and server render time, for a typical run (two steps chained by $ref, one egress).
 *   npx tsx bench/console-page-weight.ts
 */
import { gzipSync } from "node:zlib";
import { Hono } from "hono";
import { createConsole } from "../src/console/create-console.js";
import { openSqliteTraceStore } from "../src/traces/sqlite-trace-store.js";
import { makeRecord } from "../test/helpers/run-records.js";

const TOKEN = "admin-token-bench-0123456789";
const traces = await openSqliteTraceStore({ path: ":memory:", pruneIntervalMs: 0 });
for (let i = 0; i < 60; i++) {
  await traces.put(
    makeRecord(`run-${i}`, {
      at: Date.now() - i * 1000,
      userId: `user${i % 5}`,
      status: i % 7 ? "ok" : "blocked",
    }),
  );
}
const app = new Hono();
app.route("/console", createConsole({ traces, users: [{ token: TOKEN, id: "root", roles: ["admin"] }] }));
const get = async (path: string) => {
  const res = await app.request(`http://flm.local${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return Buffer.from(await res.arrayBuffer());
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const runs = await get("/console/runs");
const assets = [...runs.toString().matchAll(/\/console\/assets\/[^"]+/g)].map((m) => m[0]);
let assetRaw = 0;
let assetGz = 0;
for (const a of assets) {
  const body = await get(a);
  assetRaw += body.length;
  assetGz += gzipSync(body).length;
  console.log(
    `${a.split("/").pop()}: ${kb(body.length)} (${kb(gzipSync(body).length)} gzip), cached immutable`,
  );
}
for (const path of ["/console/runs", "/console/runs/run-1", "/console/egress"]) {
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) await get(path);
  const ms = (performance.now() - t0) / 20;
  const html = await get(path);
  const gz = gzipSync(html).length;
  console.log(
    `${path}: HTML ${kb(html.length)} (${kb(gz)} gzip); with assets ${kb(html.length + assetRaw)} (${kb(gz + assetGz)} gzip); render ${ms.toFixed(1)} ms`,
  );
}
await traces.close();
