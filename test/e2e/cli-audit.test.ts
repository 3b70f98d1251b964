/**
 * `flm audit show|verify` end to end: `flm ask` writes the hash-chained audit records, the CLI
 * lists them without values, verifies them, and names the first record an attacker rewrote.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateAuditKey,
  loadAuditPrivateKey,
  startWitnessServer,
  TreeHeadSigner,
} from "../../src/privacy/audit/index.js";
import { noteSigner, SIG_COSIGNATURE_V1 } from "../../src/privacy/audit/signed-note.js";
import { type FakeOpenAIServer, type RecordedRequest, reply } from "../../src/testing/fake-openai-server.js";
import {
  type CliFixture,
  crmTool,
  findCustomerPlan,
  findCustomerQuery,
  runCli,
  startCliFixture,
  writeFlmConfig,
  writeSqliteDb,
} from "./cli-helpers.js";

const SECRET_EMAIL = "maria.keller@example.org";

let fixture: CliFixture;
let cloud: FakeOpenAIServer;
let local: FakeOpenAIServer;
let dir: string;

function plannerReply(req: RecordedRequest) {
  return reply.json(findCustomerPlan(req));
}

beforeAll(async () => {
  fixture = await startCliFixture("audit-e2e");
  ({ cloud, local, dir } = fixture);
  cloud.handle(plannerReply);
  local.handle(() => reply.text("Found the customer [s1]."));
  writeSqliteDb(join(dir, "crm.sqlite"), {
    customers: {
      columns: "id INTEGER PRIMARY KEY, name TEXT, email TEXT",
      rows: [[1, "Maria Keller", SECRET_EMAIL]],
    },
  });
  generateAuditKey(join(dir, "keys", "audit-key.pem"));
  writeFlmConfig(fixture, {
    tools: [
      crmTool(
        [findCustomerQuery("id, name, email")],
        [
          { column: "customers.name", type: "PERSON" },
          { column: "customers.email", type: "EMAIL" },
        ],
      ),
    ],
    audit: { path: "audit.sqlite", keyPath: "keys/audit-key.pem" },
  });
});

afterAll(() => fixture?.close());

describe("flm audit end to end", { timeout: 60_000 }, () => {
  it("an empty log is shown as empty, fails verify unless allowed; no audit store is a configuration error (exit 3)", async () => {
    const cfg = join(dir, "noaudit.json");
    writeFileSync(cfg, JSON.stringify({ generator: `${local.url}#m` }));
    const [r, none, empty, allowed] = await Promise.all([
      runCli(["audit", "show"], { cwd: dir }),
      runCli(["--config", cfg, "audit", "verify"], { cwd: dir }),
      runCli(["audit", "verify"], { cwd: dir }),
      runCli(["audit", "verify", "--allow-empty"], { cwd: dir }),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("The audit log is empty.");
    // Expected but absent: a failure unless the auditor says an empty log is fine; never created.
    expect(empty.code).toBe(1);
    expect(empty.stdout).toMatch(/FAILED verification: empty/);
    expect(allowed.code).toBe(0);
    expect(existsSync(join(dir, "audit.sqlite"))).toBe(false);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain("error CONFIG_INVALID: audit: missing");
  });

  it("asks leave records that show lists with placeholders only, and verify says OK", async () => {
    // Two processes append to the same log at once: the chain must stay linear.
    const asks = await Promise.all(
      [`Find Maria Keller (${SECRET_EMAIL}).`, "What is the email of Maria Keller?"].map((prompt) =>
        runCli(["ask", prompt], { cwd: dir }),
      ),
    );
    for (const r of asks) {
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
    }
    expect(cloud.requests).toHaveLength(2);

    const [show, json, verify] = await Promise.all([
      runCli(["audit", "show"], { cwd: dir }),
      runCli(["audit", "show", "--json"], { cwd: dir }),
      runCli(["audit", "verify"], { cwd: dir }),
    ]);
    expect(show.code).toBe(0);
    const lines = show.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.split("  ")[0]).sort()).toEqual(["1", "2"]);
    for (const line of lines) expect(line).toMatch(/ {2}allowed {2}127\.0\.0\.1:\d+ {2}plan {2}/);

    expect(json.code).toBe(0);
    const records = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(records).toHaveLength(2);
    for (const rec of records) {
      expect(rec.bodySha256).toMatch(/^[0-9a-f]{64}$/);
      expect(rec.body).toBeUndefined(); // bodies are not stored by default
      expect(rec.placeholderCounts).toMatchObject({ PERSON: 1 });
    }
    // The body hashes are those of the exact bytes the cloud received.
    const { createHash } = await import("node:crypto");
    const sent = cloud.requests.map((r) => createHash("sha256").update(r.body).digest("hex")).sort();
    expect(records.map((r) => r.bodySha256).sort()).toEqual(sent);
    for (const out of [show.stdout, json.stdout]) {
      expect(out).not.toContain("Maria");
      expect(out).not.toContain("Keller");
      expect(out).not.toContain(SECRET_EMAIL);
    }

    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^Audit log OK: 2 record\(s\)/);
  });

  it("a record rewritten behind the triggers fails verify, naming its sequence number", async () => {
    const db = new Database(join(dir, "audit.sqlite"));
    db.exec("DROP TRIGGER audit_records_no_update");
    db.prepare("UPDATE audit_records SET host = 'evil.example.com:443' WHERE seq = 2").run();
    db.close();
    // Verified with the auditor's public key (what someone without the private key would use).
    const r = await runCli(["audit", "verify", "--key", join(dir, "keys", "audit-key.pem.pub")], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Audit log FAILED verification: .* at record 2\./);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it("with audit.witnesses configured, asks have their checkpoints co-signed and verify holds the log against the witness", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const signer = noteSigner(
      "witness.test/cli",
      SIG_COSIGNATURE_V1,
      generateKeyPairSync("ed25519").privateKey,
    );
    const keyPath = join(dir, "keys", "audit-key.pem");
    const origin = "test.example/cli-audit";
    const witness = await startWitnessServer({
      signer,
      dbPath: join(dir, "witness.sqlite"),
      logs: [{ origin, keys: [new TreeHeadSigner(loadAuditPrivateKey(keyPath), origin).vkey] }],
      port: 0,
    });
    try {
      writeFlmConfig(
        fixture,
        {
          tools: [
            crmTool([findCustomerQuery("id, name, email")], [{ column: "customers.name", type: "PERSON" }]),
          ],
          audit: {
            path: "witnessed-audit.sqlite",
            keyPath: "keys/audit-key.pem",
            origin,
            replicaId: "cli-test",
            witnesses: [{ url: witness.url, key: signer.verifier.vkey }],
          },
        },
        "witnessed.json",
      );
      const ask = await runCli(["--config", "witnessed.json", "ask", "Find Maria Keller."], { cwd: dir });
      expect(ask.code).toBe(0);
      const [verify, vkey] = await Promise.all([
        runCli(["--config", "witnessed.json", "audit", "verify"], { cwd: dir }),
        runCli(["--config", "witnessed.json", "audit", "vkey"], { cwd: dir }),
      ]);
      expect(vkey.stdout.trim()).toMatch(/^test\.example\/cli-audit\+[0-9a-f]{8}\+A/);
      expect(verify.code).toBe(0);
      expect(verify.stdout).toMatch(/^Audit log OK: 1 record\(s\)/);
      expect(verify.stdout).toMatch(
        /Witness witness\.test\/cli http:\/\/127\.0\.0\.1:\d+: co-signed 1 record\(s\)/,
      );
      const [record] = JSON.parse(
        (await runCli(["--config", "witnessed.json", "audit", "show", "--json"], { cwd: dir })).stdout,
      );
      expect(record.replica).toBe("cli-test");
    } finally {
      await witness.close();
    }
  });
});
