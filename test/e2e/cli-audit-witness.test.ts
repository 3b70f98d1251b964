/**
 * Every tamper kind from issue #12 against a real `flm witness serve` process on 127.0.0.1 and
 * `flm audit verify` processes: a genuine log is co-signed by the witness, then copies of it are
 * truncated, stripped of their checkpoints, rolled back, replaced, rewritten and re-signed with a
 * swapped key, padded with hand-inserted rows, deleted and emptied. Without a witness some of these
 * pass (the documented limit); with it each one fails. The witness also goes down and comes back.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtempSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuditLog,
  computeRecordHash,
  generateAuditKey,
  loadAuditPrivateKey,
  SqliteAuditStore,
  TreeHeadSigner,
} from "../../src/privacy/audit/index.js";
import { currentFrontier } from "../../src/privacy/audit/store-tree.js";
import { type CliProcess, runCli, startCli } from "./cli-helpers.js";

const entry = (i: number) => ({
  host: "api.openai.com",
  model: "gpt-5-mini",
  purpose: "plan",
  body: `{"q":${i}}`,
  placeholderCounts: { PERSON: 1 },
  decision: "allowed" as const,
});
const TABLES = ["audit_records", "audit_checkpoints", "audit_tree_heads", "audit_cosignatures"];

let dir: string;
let port: number;
let witnessUrl: string;
let witnessVkey: string;
let logVkey: string;
let witness: CliProcess | undefined;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const p = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return p;
}

async function startWitness(): Promise<void> {
  witness = startCli(
    [
      "witness",
      "serve",
      "--key",
      "witness.key",
      "--db",
      "witness.sqlite",
      "--log",
      logVkey,
      "--port",
      String(port),
    ],
    { cwd: dir },
  );
  await witness.waitForStderr(/listening on http:\/\/127\.0\.0\.1:\d+/);
}

async function stopWitness(): Promise<void> {
  witness?.child.kill("SIGTERM");
  await witness?.exited;
  witness = undefined;
}

/** A scenario folder with a copy of the genuine log and a config pointing at it. */
function scenario(
  name: string,
  source = join(dir, "base", "audit.sqlite"),
  keyPath = "../audit-key.pem",
): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  if (source) copyFileSync(source, join(d, "audit.sqlite"));
  writeFileSync(
    join(d, "flm.config.json"),
    JSON.stringify({ generator: "http://127.0.0.1:9/v1#m", audit: { path: "audit.sqlite", keyPath } }),
  );
  return d;
}

/** Raw SQL as an attacker with the file: the append-only triggers dropped first. */
function tamper(d: string, sql: string): void {
  const db = new Database(join(d, "audit.sqlite"));
  for (const t of TABLES)
    db.exec(`DROP TRIGGER IF EXISTS ${t}_no_update; DROP TRIGGER IF EXISTS ${t}_no_delete;`);
  db.exec(sql);
  db.close();
}

const verify = (d: string, ...args: string[]) => runCli(["audit", "verify", ...args], { cwd: d });
const withWitness = () => ["--witness", `${witnessUrl}#${witnessVkey}`];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flm-audit-witness-e2e-"));
  port = await freePort();
  witnessUrl = `http://127.0.0.1:${port}`;
  generateAuditKey(join(dir, "audit-key.pem"));
  const [logKeygen, witnessKeygen] = await Promise.all([
    runCli(["audit", "keygen", join(dir, "unused-key.pem")], { cwd: dir }),
    runCli(["witness", "keygen", "--name", "witness.test/w1", "--key", "witness.key"], { cwd: dir }),
  ]);
  expect(logKeygen.code).toBe(0);
  expect(logKeygen.stdout).toMatch(/^flm-audit\/[0-9a-f]{16}\+[0-9a-f]{8}\+A/);
  expect(witnessKeygen.code).toBe(0);
  witnessVkey = witnessKeygen.stdout.trim();
  scenario("base", "");
  const vk = await runCli(["audit", "vkey"], { cwd: join(dir, "base") });
  expect(vk.code).toBe(0);
  logVkey = vk.stdout.trim();
  await startWitness();

  // The genuine log: 20 records co-signed (a snapshot is kept), 13 more co-signed, 3 more that
  // the witness never sees (appended while it was unreachable).
  const open = (witnesses: boolean) =>
    new AuditLog(new SqliteAuditStore(join(dir, "base", "audit.sqlite")), {
      privateKey: loadAuditPrivateKey(join(dir, "audit-key.pem")),
      witnesses: witnesses ? [{ url: witnessUrl, key: witnessVkey }] : [],
      onError: () => {},
    });
  let log = open(true);
  for (let i = 1; i <= 20; i++) await log.append(entry(i));
  await log.close();
  copyFileSync(join(dir, "base", "audit.sqlite"), join(dir, "snapshot-20.sqlite"));
  log = open(true);
  for (let i = 21; i <= 33; i++) await log.append(entry(i));
  await log.close();
  expect(log.witnessStatus()[0]).toMatchObject({ size: 33 });
  log = open(false);
  for (let i = 34; i <= 36; i++) await log.append(entry(i));
  await log.close();
}, 120_000);

afterAll(async () => {
  await stopWitness();
  rmSync(dir, { recursive: true, force: true });
});

describe("flm audit verify --witness against a real witness process", { timeout: 90_000 }, () => {
  it("the genuine log verifies, and reports the records the witness has not co-signed yet", async () => {
    const r = await verify(scenario("intact"), ...withWitness());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Audit log OK: 36 record\(s\)/);
    expect(r.stdout).toMatch(/Witness witness\.test\/w1 http:\/\/127\.0\.0\.1:\d+: co-signed 33 record\(s\)/);
    expect(r.stdout).toMatch(/records 34\.\.36 are not co-signed yet/);
  });

  it("truncating the tail together with its checkpoints passes alone, and fails against the witness", async () => {
    const d = scenario("truncated");
    tamper(
      d,
      `DELETE FROM audit_cosignatures WHERE tree_head_id IN (SELECT id FROM audit_tree_heads WHERE size > 25);
       DELETE FROM audit_tree_heads WHERE size > 25; DELETE FROM audit_records WHERE seq > 25;`,
    );
    const [alone, witnessed] = await Promise.all([verify(d), verify(d, ...withWitness())]);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toMatch(/No witness was consulted/);
    expect(witnessed.code).toBe(1);
    expect(witnessed.stdout).toMatch(/^Audit log FAILED verification: behind-witness at record 26\./);
    expect(witnessed.stdout).toMatch(/co-signed 33 record\(s\).*but the log has only 25/);
  });

  it("deleting all checkpoints fails against the witness (asked, or from its stored cosignatures)", async () => {
    const d = scenario("no-checkpoints");
    tamper(d, "DELETE FROM audit_cosignatures; DELETE FROM audit_tree_heads; DELETE FROM audit_checkpoints;");
    const [asked, stored] = await Promise.all([
      verify(d, ...withWitness()),
      verify(d, "--witness", witnessVkey),
    ]);
    expect(asked.code).toBe(1);
    expect(asked.stdout).toMatch(/FAILED verification: checkpoints-missing/);
    expect(stored.code).toBe(1);
    expect(stored.stdout).toMatch(/FAILED verification: not-witnessed/);
  });

  it("rolling back to an older snapshot fails against the witness", async () => {
    const d = scenario("rollback", join(dir, "snapshot-20.sqlite"));
    const [alone, witnessed] = await Promise.all([verify(d), verify(d, ...withWitness())]);
    expect(alone.code).toBe(0);
    expect(witnessed.code).toBe(1);
    expect(witnessed.stdout).toMatch(/behind-witness at record 21/);
  });

  it("replacing the log with a fresh one (same key, more records) fails as a fork", async () => {
    const d = scenario("fresh", "");
    const log = new AuditLog(new SqliteAuditStore(join(d, "audit.sqlite")), {
      privateKey: loadAuditPrivateKey(join(dir, "audit-key.pem")),
    });
    for (let i = 1; i <= 40; i++) await log.append({ ...entry(i), host: "innocent.example" });
    await log.close();
    const [alone, witnessed] = await Promise.all([verify(d), verify(d, ...withWitness())]);
    expect(alone.code).toBe(0);
    expect(witnessed.code).toBe(1);
    expect(witnessed.stdout).toMatch(/FAILED verification: forked/);
  });

  it("a rewritten log re-signed with a swapped key passes without --key, and fails against the witness", async () => {
    const d = scenario("swapped-key", undefined, "attacker-key.pem");
    generateAuditKey(join(d, "attacker-key.pem"));
    const store = new SqliteAuditStore(join(d, "audit.sqlite"));
    const records = await store.list();
    await store.close();
    let prev = records[1].hash;
    const updates: string[] = [];
    for (const r of records.slice(2)) {
      const changed = r.seq === 3 ? { ...r, host: "innocent.example" } : r;
      const hash = computeRecordHash(prev, r.seq, changed);
      updates.push(
        `UPDATE audit_records SET host = '${changed.host}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${r.seq};`,
      );
      prev = hash;
    }
    tamper(
      d,
      `${updates.join("\n")} DELETE FROM audit_cosignatures; DELETE FROM audit_tree_heads; DELETE FROM audit_checkpoints;`,
    );
    const resign = new SqliteAuditStore(join(d, "audit.sqlite"));
    const { frontier } = await currentFrontier(resign);
    await resign.appendTreeHead(
      new TreeHeadSigner(loadAuditPrivateKey(join(d, "attacker-key.pem"))).sign(frontier, "x"),
      {
        minGap: 1,
      },
    );
    await resign.close();
    const [alone, pinned, witnessed] = await Promise.all([
      verify(d),
      verify(d, "--key", logVkey),
      verify(d, ...withWitness()),
    ]);
    expect(alone.code).toBe(0); // the limit a witness removes: the auditor trusted our key file
    expect(pinned.code).toBe(1);
    expect(pinned.stdout).toMatch(/FAILED verification: bad-signature/);
    expect(witnessed.code).toBe(1);
    expect(witnessed.stdout).toMatch(/FAILED verification: (not-witnessed|forked|key-changed)/);
  });

  it("rows inserted by hand with seq <= 0 fail, witness or not", async () => {
    const d = scenario("foreign-rows");
    tamper(
      d,
      `INSERT INTO audit_records (seq, at, host, model, purpose, body_sha256, placeholder_counts, decision, prev_hash, hash)
       SELECT 0, at, 'hidden.example', model, purpose, body_sha256, placeholder_counts, decision, prev_hash, hash FROM audit_records WHERE seq = 1;
       INSERT INTO audit_records (seq, at, host, model, purpose, body_sha256, placeholder_counts, decision, prev_hash, hash)
       SELECT -7, at, 'hidden.example', model, purpose, body_sha256, placeholder_counts, decision, prev_hash, hash FROM audit_records WHERE seq = 1;`,
    );
    const [show, alone] = await Promise.all([runCli(["audit", "show", "-n", "100"], { cwd: d }), verify(d)]);
    expect(show.stdout).toMatch(/^-7 {2}/m);
    expect(alone.code).toBe(1);
    expect(alone.stdout).toMatch(/FAILED verification: foreign-row/);
  });

  it("a deleted or emptied log fails (exit 1) unless --allow-empty, and never against a witness", async () => {
    const deleted = scenario("deleted", "");
    const emptied = scenario("emptied", "");
    writeFileSync(join(emptied, "audit.sqlite"), "");
    const [del, delAllowed, delWitnessed, emp, empAllowed] = await Promise.all([
      verify(deleted),
      verify(deleted, "--allow-empty"),
      verify(deleted, "--allow-empty", ...withWitness()),
      verify(emptied),
      verify(emptied, "--allow-empty"),
    ]);
    expect(del.code).toBe(1);
    expect(del.stdout).toMatch(/FAILED verification: empty/);
    expect(delAllowed.code).toBe(0);
    expect(delWitnessed.code).toBe(1);
    expect(emp.code).toBe(1);
    expect(emp.stdout).toMatch(/FAILED verification: empty/);
    expect(empAllowed.code).toBe(0);
  });

  it("a witness that is down: appends continue, verify says so, and the gap closes when it returns", async () => {
    await stopWitness();
    const d = scenario("witness-down");
    const errors: unknown[] = [];
    const log = new AuditLog(new SqliteAuditStore(join(d, "audit.sqlite")), {
      privateKey: loadAuditPrivateKey(join(dir, "audit-key.pem")),
      witnesses: [{ url: witnessUrl, key: witnessVkey }],
      onError: (e) => errors.push(e),
      closeGraceMs: 500,
    });
    for (let i = 37; i <= 45; i++) await log.append(entry(i));
    await log.checkpoint();
    await log.settled();
    expect(errors.length).toBeGreaterThan(0);
    expect(log.witnessStatus()[0].lastError?.message).toMatch(/unreachable/);
    const down = await verify(d, ...withWitness());
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/FAILED verification: witness-unreachable/);

    // The writer stops while the witness is down (its retries die with it) …
    await log.close();
    await startWitness();
    const back = await verify(d, ...withWitness());
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/records 34\.\.45 are not co-signed yet/);
    // … and the next process that opens the log sends the witness the newest checkpoint.
    const next = new AuditLog(new SqliteAuditStore(join(d, "audit.sqlite")), {
      privateKey: loadAuditPrivateKey(join(dir, "audit-key.pem")),
      witnesses: [{ url: witnessUrl, key: witnessVkey }],
      onError: (e) => errors.push(e),
    });
    await next.settled();
    expect(next.witnessStatus()[0]).toMatchObject({ size: 45, lastError: undefined });
    await next.close();
    const caughtUp = await verify(d, ...withWitness());
    expect(caughtUp.code).toBe(0);
    expect(caughtUp.stdout).not.toMatch(/not co-signed yet/);
  });
});
