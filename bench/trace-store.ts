/**
 * Trace store: memory and latency with the traces issue #12 saw (732 KB each, from a 9,000-turn
 * history), against the old in-memory store that kept 1,000 traces of any size.
 *   npx tsx bench/trace-store.ts                (PostgreSQL part runs when FLM_TEST_PG_URL is set)
 *   TRACE_BENCH_BIG=200 TRACE_BENCH_SMALL=5000 npx tsx bench/trace-store.ts
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { openPostgresTraceStore } from "../src/traces/postgres-trace-store.js";
import type { RunRecord } from "../src/traces/run-record.js";
import { openSqliteTraceStore } from "../src/traces/sqlite-trace-store.js";
import type { TraceStore } from "../src/traces/trace-store.js";
import { makeRecord } from "../test/helpers/run-records.js";

const BIG = Number(process.env.TRACE_BENCH_BIG ?? 600);
const SMALL = Number(process.env.TRACE_BENCH_SMALL ?? 5000);

/** A run whose planner request carried 9,000 short user turns: about 732 KB of trace. */
const BIG_BODY = JSON.stringify({
  model: "planner",
  messages: Array.from({ length: 9000 }, (_, t) => ({
    role: "user",
    content: `turn ${t} hello there, friend`,
  })),
});
const BIG_SHA = createHash("sha256").update(BIG_BODY).digest("hex");
function bigRecord(i: number): RunRecord {
  const r = makeRecord(`big-${i}`, { at: Date.now() - 1000 + i });
  r.trace.egress[0] = {
    ...r.trace.egress[0],
    body: BIG_BODY,
    bytes: Buffer.byteLength(BIG_BODY),
    sha256: BIG_SHA,
  };
  return r;
}

/** The store the gateway had before: the last 1,000 traces in a Map, whatever their size. */
function oldMemoryStore(max = 1000) {
  const entries = new Map<string, unknown>();
  return {
    put(trace: { id: string }) {
      entries.delete(trace.id);
      entries.set(trace.id, trace);
      while (entries.size > max) entries.delete(entries.keys().next().value!);
    },
  };
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const rss = () => {
  global.gc?.();
  return process.memoryUsage().rss;
};
function pct(values: number[], p: number): string {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(2);
}

interface Timing {
  wall: number[];
  /** CPU milliseconds per operation, this process (the machine may be shared: wall time is noisy). */
  cpuPerOp: number;
}

async function timeIt(n: number, fn: (i: number) => Promise<unknown>): Promise<Timing> {
  const wall: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    wall.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpuPerOp: (cpu.user + cpu.system) / 1000 / n };
}

const show = (t: Timing) =>
  `cpu ${t.cpuPerOp.toFixed(2)} ms/op, wall p50 ${pct(t.wall, 50)} p99 ${pct(t.wall, 99)} ms`;

async function measure(name: string, store: TraceStore): Promise<void> {
  const bigs = Array.from({ length: BIG }, (_, i) => bigRecord(i));
  const smalls = Array.from({ length: SMALL }, (_, i) =>
    makeRecord(`small-${i}`, { at: Date.now() + i, userId: `u${i % 20}` }),
  );
  const smallKb = (Buffer.byteLength(JSON.stringify(smalls[0])) / 1024).toFixed(1);
  const before = rss();
  const steps: string[] = [];
  const big = await timeIt(BIG, async (i) => {
    await store.put(bigs[i]);
    if ((i + 1) % (BIG / 3) === 0) steps.push(`+${mb(rss() - before)}`);
  });
  bigs.length = 0;
  const small = await timeIt(SMALL, (i) => store.put(smalls[i]));
  const list = await timeIt(200, (i) => store.list({ limit: 50, userId: i % 2 ? `u${i % 20}` : undefined }));
  const get = await timeIt(500, (i) => store.get(`small-${(i * 7) % SMALL}`));
  const stats = await store.stats();
  console.log(
    `${name}: ${BIG} puts of a 732 KB trace: ${show(big)}; RSS after each third ${steps.join(", ")}`,
  );
  console.log(`${name}: ${SMALL} puts of a ${smallKb} KB trace: ${show(small)}`);
  console.log(
    `${name}: list(50 runs, newest first, half filtered by user): ${show(list)}; get: ${show(get)}`,
  );
  console.log(
    `${name}: store holds ${stats.runs} runs, ${mb(stats.bytes)} (cap ${mb(store.limits.maxStoreBytes)})`,
  );
}

const dir = mkdtempSync(join(tmpdir(), "flm-trace-bench-"));
try {
  const only = process.env.TRACE_BENCH_ONLY;
  if (!only) {
    // Each store in its own process, so that one's memory does not show in another's RSS.
    console.log(`node ${process.version}; defaults: 256 KiB per trace, 256 MiB per store, 30 days`);
    for (const kind of ["old", "file", "memory", "postgres"]) {
      execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
        env: { ...process.env, TRACE_BENCH_ONLY: kind },
        stdio: "inherit",
      });
    }
  } else if (only === "old") {
    // The old store: the last 1,000 traces in the gateway's memory, whatever their size.
    const old = oldMemoryStore();
    const bigs = Array.from({ length: BIG }, (_, i) => bigRecord(i).trace);
    const before = rss();
    const steps: string[] = [];
    // Each request's trace is its own object, as in the gateway.
    const t = await timeIt(BIG, async (i) => {
      old.put(structuredClone(bigs[i]));
      if ((i + 1) % (BIG / 3) === 0) steps.push(`+${mb(rss() - before)}`);
    });
    console.log(
      `old in-memory store (last 1,000): ${BIG} puts of a 732 KB trace: ${show(t)}; RSS after each third ${steps.join(", ")}`,
    );
  } else if (only === "file") {
    const file = await openSqliteTraceStore({ path: join(dir, "traces.db"), pruneIntervalMs: 0 });
    await measure("SQLite file", file);
    await file.close();
  } else if (only === "memory") {
    const memory = await openSqliteTraceStore({
      path: ":memory:",
      pruneIntervalMs: 0,
      limits: { maxStoreBytes: 32 * 1024 * 1024 },
    });
    await measure("SQLite :memory: 32M", memory);
    await memory.close();
  } else if (process.env.FLM_TEST_PG_URL) {
    const url = process.env.FLM_TEST_PG_URL;
    const schema = `flm_traces_bench_${process.pid}`;
    const pg = await openPostgresTraceStore({ url, schema, pruneIntervalMs: 0 });
    await measure("PostgreSQL", pg);
    const pool = new (await import("pg")).default.Pool({ connectionString: url });
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
    await pg.close();
  } else {
    console.log("PostgreSQL: skipped (set FLM_TEST_PG_URL)");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
