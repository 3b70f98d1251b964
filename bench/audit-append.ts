/**
 * Audit log throughput: appends/second (each append is its own durable transaction) on SQLite
 * and PostgreSQL, and verification time per 10,000 records.
 *   npx tsx bench/audit-append.ts            (PostgreSQL part runs when FLM_TEST_PG_URL is set)
 *   AUDIT_BENCH_APPENDS=5000 AUDIT_BENCH_VERIFY=10000 npx tsx bench/audit-append.ts
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { AuditLog } from "../src/privacy/audit/audit-log.js";
import {
  type AuditRecord,
  type AuditRecordFields,
  RECORD_COLUMNS,
  rowValues,
  sealRecord,
} from "../src/privacy/audit/audit-record.js";
import type { AuditStore } from "../src/privacy/audit/audit-store.js";
import { PostgresAuditStore } from "../src/privacy/audit/postgres-audit-store.js";
import { SqliteAuditStore } from "../src/privacy/audit/sqlite-audit-store.js";
import { verifyAudit } from "../src/privacy/audit/verify-audit.js";

const APPENDS = Number(process.env.AUDIT_BENCH_APPENDS ?? 5000);
const VERIFY = Number(process.env.AUDIT_BENCH_VERIFY ?? 10_000);
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
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

async function timeAppends(store: AuditStore, n: number, writers = 1): Promise<number> {
  const log = new AuditLog(store, { privateKey, storeBodies: true });
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < n) {
        next++;
        await log.append({
          host: "api.openai.com",
          model: "gpt-5-mini",
          purpose: "plan",
          body,
          decision: "allowed",
        });
      }
    }),
  );
  const ms = performance.now() - t0;
  await log.checkpoint();
  return (n / ms) * 1000;
}

/** Bulk-loads `n` sealed records (no per-record commit) so the verify benchmark starts fast. */
function sealMany(n: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  let prev: AuditRecord | undefined;
  for (let i = 1; i <= n; i++) {
    prev = sealRecord(prev, fields(i));
    out.push(prev);
  }
  return out;
}

async function timeVerify(store: AuditStore): Promise<{ ms: number; records: number; ok: boolean }> {
  const log = new AuditLog(store, { privateKey });
  await log.checkpoint();
  const t0 = performance.now();
  const report = await verifyAudit(store, { publicKey });
  return { ms: performance.now() - t0, records: report.records, ok: report.ok };
}

const line = (label: string, value: string) => console.log(`${label.padEnd(48)} ${value}`);
const dir = mkdtempSync(join(tmpdir(), "flm-audit-bench-"));
try {
  console.log(
    `audit log bench: ${APPENDS} appends (body ${body.length} B, stored), verify ${VERIFY} records\n`,
  );
  const sq = new SqliteAuditStore(join(dir, "append.db"));
  line("SQLite append (WAL, synchronous=FULL)", `${(await timeAppends(sq, APPENDS)).toFixed(0)} appends/s`);
  await sq.close();
  const sn = new SqliteAuditStore(join(dir, "append-normal.db"), { synchronous: "NORMAL" });
  line("SQLite append (WAL, synchronous=NORMAL)", `${(await timeAppends(sn, APPENDS)).toFixed(0)} appends/s`);
  await sn.close();

  const sv = new SqliteAuditStore(join(dir, "verify.db"));
  const insert = sv.db.prepare(
    `INSERT INTO audit_records (${RECORD_COLUMNS.join(",")}) VALUES (${RECORD_COLUMNS.map(() => "?").join(",")})`,
  );
  sv.db.transaction((recs: AuditRecord[]) => {
    for (const r of recs) insert.run(...rowValues(r));
  })(sealMany(VERIFY));
  const v = await timeVerify(sv);
  line(
    `SQLite verify ${v.records} records (ok=${v.ok})`,
    `${v.ms.toFixed(0)} ms (${((v.ms / v.records) * 10_000).toFixed(0)} ms per 10,000)`,
  );
  await sv.close();

  const url = process.env.FLM_TEST_PG_URL;
  if (!url) {
    console.log("\nPostgreSQL: skipped (set FLM_TEST_PG_URL)");
  } else {
    const schema = `flm_audit_bench_${process.pid}`;
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    try {
      for (const writers of [1, 4]) {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        const ps = await PostgresAuditStore.open({ url, schema });
        line(
          `PostgreSQL append, ${writers} concurrent writer(s)`,
          `${(await timeAppends(ps, APPENDS, writers)).toFixed(0)} appends/s`,
        );
        await ps.close();
      }
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      const pv = await PostgresAuditStore.open({ url, schema });
      const recs = sealMany(VERIFY);
      for (let i = 0; i < recs.length; i += 500) {
        const chunk = recs.slice(i, i + 500);
        const values: unknown[] = [];
        const rows = chunk.map((r) => {
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
      line(
        `PostgreSQL verify ${pvr.records} records (ok=${pvr.ok})`,
        `${pvr.ms.toFixed(0)} ms (${((pvr.ms / pvr.records) * 10_000).toFixed(0)} ms per 10,000)`,
      );
      await pv.close();
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
