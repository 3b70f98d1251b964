/**
 * One audit-log writer process (a gateway replica stand-in) for multi-writer tests and benches:
 *   node --import tsx test/helpers/audit-writer-process.ts '<json options>'
 * Appends `count` records to the PostgreSQL log with its own replica id, checkpointing every
 * `every` records (shared cadence) and co-signing with the given witness, then prints a JSON
 * summary ({ appended, ms, errors }) on stdout.
 */
import { AuditLog } from "../../src/privacy/audit/audit-log.js";
import { loadAuditPrivateKey } from "../../src/privacy/audit/audit-key.js";
import { PostgresAuditStore } from "../../src/privacy/audit/postgres-audit-store.js";

interface Options {
  url: string;
  schema: string;
  keyPath: string;
  origin: string;
  replica: string;
  count: number;
  every: number;
  witness?: { url: string; key: string };
  /** Wait until this epoch ms before appending, so every writer starts together. */
  startAt?: number;
}

const o = JSON.parse(process.argv[2]) as Options;
const errors: string[] = [];
const log = new AuditLog(await PostgresAuditStore.open({ url: o.url, schema: o.schema }), {
  privateKey: loadAuditPrivateKey(o.keyPath),
  origin: o.origin,
  replicaId: o.replica,
  checkpointEvery: { records: o.every },
  witnesses: o.witness ? [o.witness] : [],
  onError: (e) => errors.push(String((e as Error)?.message ?? e)),
});
if (o.startAt) await new Promise((r) => setTimeout(r, Math.max(0, o.startAt! - Date.now())));
const t0 = performance.now();
for (let i = 0; i < o.count; i++) {
  await log.append({
    host: "api.openai.com",
    model: "gpt-5-mini",
    purpose: "plan",
    bodySha256: "ab".repeat(32),
    decision: "allowed",
    runId: `${o.replica}-${i}`,
  });
}
const ms = performance.now() - t0;
await log.close();
process.stdout.write(`${JSON.stringify({ appended: o.count, ms, errors })}\n`);
