/**
 * Audit log throughput: appends/second (each append is its own durable transaction) on SQLite and
 * PostgreSQL, with 1, 2 and 4 writer processes on one PostgreSQL chain, with and without a witness
 * on 127.0.0.1; the worst event-loop stall while appending to SQLite; verification time per 10,000
 * records (with Merkle roots, and against a witness).
 *   npm run bench:audit            (PostgreSQL parts run when FLM_TEST_PG_URL is set)
 *   AUDIT_BENCH_APPENDS=2000 AUDIT_BENCH_VERIFY=10000 npm run bench:audit
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { generateAuditKey, loadAuditPrivateKey } from "../src/privacy/audit/audit-key.js";
import { AuditLog, type AuditLogOptions } from "../src/privacy/audit/audit-log.js";
import {
  type AuditRecord,
  type AuditRecordFields,
  RECORD_COLUMNS,
  rowValues,
  sealRecord,
} from "../src/privacy/audit/audit-record.js";
import type { AuditStore } from "../src/privacy/audit/audit-store.js";
import { PostgresAuditStore } from "../src/privacy/audit/postgres-audit-store.js";
import { noteSigner, SIG_COSIGNATURE_V1 } from "../src/privacy/audit/signed-note.js";
import { SqliteAuditStore } from "../src/privacy/audit/sqlite-audit-store.js";
import { TreeHeadSigner } from "../src/privacy/audit/tree-head.js";
import { verifyAudit } from "../src/privacy/audit/verify-audit.js";
import { type RunningWitness, startWitnessServer } from "../src/privacy/audit/witness/witness-server.js";

const APPENDS = Number(process.env.AUDIT_BENCH_APPENDS ?? 2000);
const VERIFY = Number(process.env.AUDIT_BENCH_VERIFY ?? 10_000);
const ORIGIN = "bench.example/flm-audit";
const dir = mkdtempSync(join(tmpdir(), "flm-audit-bench-"));
const keyPath = join(dir, "audit-key.pem");
generateAuditKey(keyPath);
const privateKey = loadAuditPrivateKey(keyPath);
const witnessSigner = noteSigner(
  "bench.example/witness",
  SIG_COSIGNATURE_V1,
  generateKeyPairSync("ed25519").privateKey,
);
const body = JSON.stringify({
  model: "gpt-5-mini",
  messages: [
    { role: "user", content: `Which invoices did <PERSON_1> (<EMAIL_1>) pay in 2024? ${"x".repeat(1500)}` },
  ],
});

function fields(i: number): AuditRecordFields {
  return {
    at: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
    host: "api.openai.com",
    model: "gpt-5-mini",
    purpose: i % 10 === 0 ? "repair" : "plan",
    bodySha256: "a".repeat(64),
    placeholderCounts: { PERSON: 1, EMAIL: 1 },
    decision: "allowed",
    runId: `run-${i >> 2}`,
  };
}

async function startWitness(name: string): Promise<RunningWitness> {
  return startWitnessServer({
    signer: witnessSigner,
    dbPath: join(dir, `${name}.sqlite`),
    logs: [{ origin: ORIGIN, keys: [new TreeHeadSigner(privateKey, ORIGIN).vkey] }],
    port: 0,
  });
}

/**
 * In-process appends; also the worst gap between 5 ms timer ticks, minus the 5 ms period: how long
 * one append (its commit and fsync) holds the event loop.
 */
async function timeAppends(store: AuditStore, n: number, extra: Partial<AuditLogOptions> = {}) {
  const log = new AuditLog(store, {
    privateKey,
    origin: ORIGIN,
    storeBodies: true,
    onError: () => {},
    ...extra,
  });
  let last = performance.now();
  let worst = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await log.append({
      host: "api.openai.com",
      model: "gpt-5-mini",
      purpose: "plan",
      body,
      decision: "allowed",
    });
    // Let timers run between appends, as they would between requests: the ticker sees each stall.
    await new Promise((r) => setImmediate(r));
  }
  const ms = performance.now() - t0;
  clearInterval(ticker);
  await log.settled();
  const status = log.witnessStatus();
  await log.close();
  return { perSecond: (n / ms) * 1000, stallMs: Math.max(0, worst - 5), status };
}

/** `writers` processes appending `n` records in total to one PostgreSQL chain, started together. */
async function timeWriters(
  url: string,
  schema: string,
  writers: number,
  n: number,
  witness?: RunningWitness,
) {
  const script = fileURLToPath(new URL("../test/helpers/audit-writer-process.ts", import.meta.url));
  const tsx = import.meta.resolve("tsx");
  const startAt = Date.now() + 3000 + writers * 500;
  const runs = await Promise.all(
    Array.from(
      { length: writers },
      (_, i) =>
        new Promise<{ ms: number; errors: string[] }>((resolve, reject) => {
          const options = {
            url,
            schema,
            keyPath,
            origin: ORIGIN,
            replica: `bench-${i + 1}`,
            count: Math.floor(n / writers),
            every: 50,
            witness: witness && { url: witness.url, key: witnessSigner.verifier.vkey },
            startAt,
          };
          const child = spawn(process.execPath, ["--import", tsx, script, JSON.stringify(options)]);
          let out = "";
          child.stdout.on("data", (d) => {
            out += d;
          });
          child.on("close", (code) =>
            code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`writer ${code}`)),
          );
        }),
    ),
  );
  const wall = Math.max(...runs.map((r) => r.ms));
  return {
    perSecond: (Math.floor(n / writers) * writers * 1000) / wall,
    errors: runs.flatMap((r) => r.errors),
  };
}

function sealMany(n: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  let prev: AuditRecord | undefined;
  for (let i = 1; i <= n; i++) {
    prev = sealRecord(prev, fields(i));
    out.push(prev);
  }
  return out;
}

async function timeVerify(store: AuditStore, witness?: RunningWitness) {
  const log = new AuditLog(store, {
    privateKey,
    origin: ORIGIN,
    witnesses: witness ? [{ url: witness.url, key: witnessSigner.verifier.vkey }] : [],
  });
  await log.checkpoint();
  await log.settled();
  const t0 = performance.now();
  const report = await verifyAudit(store, {
    publicKey: privateKey,
    origin: ORIGIN,
    witnesses: witness ? [{ url: witness.url, key: witnessSigner.verifier.vkey }] : [],
  });
  return { ms: performance.now() - t0, records: report.records, ok: report.ok };
}

const line = (label: string, value: string) => console.log(`${label.padEnd(62)} ${value}`);
const perS = (x: number) => `${x.toFixed(0)} appends/s`;

try {
  console.log(
    `audit log bench: ${APPENDS} appends (body ${body.length} B, stored), verify ${VERIFY} records\n`,
  );
  const full = await timeAppends(new SqliteAuditStore(join(dir, "full.db")), APPENDS, {
    checkpointEvery: 100,
  });
  line(
    "SQLite append (synchronous=FULL), checkpoint every 100",
    `${perS(full.perSecond)}, worst loop stall ${full.stallMs.toFixed(0)} ms`,
  );
  const normal = await timeAppends(
    new SqliteAuditStore(join(dir, "normal.db"), { synchronous: "NORMAL" }),
    APPENDS,
    {
      checkpointEvery: 100,
    },
  );
  line(
    "SQLite append (synchronous=NORMAL), checkpoint every 100",
    `${perS(normal.perSecond)}, worst loop stall ${normal.stallMs.toFixed(0)} ms`,
  );
  const w1 = await startWitness("w-sqlite");
  const withWitness = await timeAppends(new SqliteAuditStore(join(dir, "witnessed.db")), APPENDS, {
    checkpointEvery: 50,
    witnesses: [{ url: w1.url, key: witnessSigner.verifier.vkey }],
  });
  line(
    "SQLite append (FULL), checkpoint every 50, witness on 127.0.0.1",
    `${perS(withWitness.perSecond)} (witness co-signed ${withWitness.status[0]?.size})`,
  );
  await w1.close();

  const sv = new SqliteAuditStore(join(dir, "verify.db"));
  const insert = sv.db.prepare(
    `INSERT INTO audit_records (${RECORD_COLUMNS.join(",")}) VALUES (${RECORD_COLUMNS.map(() => "?").join(",")})`,
  );
  sv.db.transaction((recs: AuditRecord[]) => {
    for (const r of recs) insert.run(...rowValues(r));
  })(sealMany(VERIFY));
  const w2 = await startWitness("w-verify");
  const v = await timeVerify(sv, w2);
  line(`SQLite verify ${v.records} records + witness (ok=${v.ok})`, `${v.ms.toFixed(0)} ms`);
  await w2.close();
  await sv.close();

  const url = process.env.FLM_TEST_PG_URL;
  if (!url) {
    console.log("\nPostgreSQL: skipped (set FLM_TEST_PG_URL)");
  } else {
    const schema = `flm_audit_bench_${process.pid}`;
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    const reset = async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await (await PostgresAuditStore.open({ url, schema })).close();
    };
    try {
      for (const writers of [1, 2, 4]) {
        await reset();
        const r = await timeWriters(url, schema, writers, APPENDS);
        line(`PostgreSQL append, ${writers} writer process(es), checkpoint every 50`, perS(r.perSecond));
      }
      for (const writers of [1, 4]) {
        await reset();
        const w = await startWitness(`w-pg-${writers}`);
        const r = await timeWriters(url, schema, writers, APPENDS, w);
        line(
          `PostgreSQL append, ${writers} writer process(es), + witness`,
          `${perS(r.perSecond)} (${r.errors.length} witness warnings)`,
        );
        await w.close();
      }
      await reset();
      const pv = await PostgresAuditStore.open({ url, schema });
      const recs = sealMany(VERIFY);
      for (let i = 0; i < recs.length; i += 500) {
        const values: unknown[] = [];
        const rows = recs.slice(i, i + 500).map((r) => {
          const base = values.length;
          values.push(...rowValues(r));
          return `(${RECORD_COLUMNS.map((_, j) => `$${base + j + 1}`).join(",")})`;
        });
        await admin.query(
          `INSERT INTO ${schema}.audit_records (${RECORD_COLUMNS.join(",")}) VALUES ${rows.join(",")}`,
          values,
        );
      }
      const pvr = await timeVerify(pv);
      line(`PostgreSQL verify ${pvr.records} records (ok=${pvr.ok})`, `${pvr.ms.toFixed(0)} ms`);
      await pv.close();
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
