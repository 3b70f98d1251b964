/**
 * `flm doctor` through the real CLI: a healthy setup (every check ok, the planner's request went
 * through the egress guard and was audited), then what a new operator gets wrong: a key file others
 * can read, a source that does not open, privacy switched off, a broken config. Exit 1 with fixes.
 */
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAuditKey } from "../../src/privacy/audit/audit-key.js";
import { reply } from "../helpers/fake-openai-server.js";
import {
  type CliFixture,
  crmTool,
  findCustomerQuery,
  runCli,
  startCliFixture,
  writeFlmConfig,
  writeSqliteDb,
} from "./cli-helpers.js";

const CANARY = "Ottoline Brackenridge";
let fixture: CliFixture;

beforeAll(async () => {
  fixture = await startCliFixture("doctor");
  fixture.cloud.handle(() => reply.json({ steps: [] }));
  fixture.local.handle(() => reply.text("OK"));
  writeSqliteDb(join(fixture.dir, "crm.sqlite"), {
    customers: { columns: "id INTEGER PRIMARY KEY, name TEXT", rows: [[1, CANARY]] },
  });
  generateAuditKey(join(fixture.dir, "audit.key"));
  chmodSync(join(fixture.dir, "audit.key"), 0o600);
});
afterAll(() => fixture?.close());

const config = (extra: Record<string, unknown> = {}) =>
  writeFlmConfig(fixture, {
    tools: [crmTool([findCustomerQuery("id, name")])],
    audit: { path: "audit.db", keyPath: "audit.key" },
    ...extra,
  });

describe("flm doctor", { timeout: 120_000 }, () => {
  it("reports a healthy setup: sources open, models answer, the cloud only through the guard", async () => {
    config();
    const r = await runCli(["doctor"], { cwd: fixture.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok\s+config\s+.*flm\.config\.json/m);
    expect(r.stdout).toMatch(/^ok\s+audit key\s+.*audit\.key \(mode 600\)/m);
    expect(r.stdout).toMatch(/^ok\s+source crm\s+/m);
    expect(r.stdout).toMatch(/^ok\s+generator flm\s+.*answered.*\(\d+ ms\)/m);
    expect(r.stdout).toMatch(
      /^ok\s+planner flm\s+.*1 request\(s\), \d+ bytes to 127\.0\.0\.1:\d+, all through the egress guard \(audited\)/m,
    );
    expect(r.stdout).toContain("all good");
    expect(fixture.cloud.allBodies()).not.toContain(CANARY);

    const json = await runCli(["doctor", "--json", "--no-cloud"], { cwd: fixture.dir });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(true);
    expect(report.checks.find((c: { name: string }) => c.name === "planner flm")).toMatchObject({
      status: "warn",
      detail: expect.stringContaining("not called (--no-cloud)"),
    });
  });

  it("fails with fixes: a key others can read, a source that does not open, privacy off", async () => {
    chmodSync(join(fixture.dir, "audit.key"), 0o644);
    config({
      tools: [{ ...crmTool([findCustomerQuery("id, name")]), path: "missing/crm.sqlite" }],
      privacy: { enabled: false },
    });
    const r = await runCli(["doctor", "--no-cloud"], { cwd: fixture.dir });
    chmodSync(join(fixture.dir, "audit.key"), 0o600);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL\s+audit key\s+.*readable by everyone \(mode 644\)/m);
    expect(r.stdout).toMatch(/fix: chmod 600 .*audit\.key/);
    expect(r.stdout).toMatch(/^FAIL\s+source crm\s+/m);
    expect(r.stdout).toMatch(/^FAIL\s+guard flm\s+privacy is disabled/m);
    expect(r.stdout).toMatch(/problem\(s\).*fix the FAIL lines above/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("a broken config is a failed check with its key path, not a crash", async () => {
    config({ limts: {} });
    const r = await runCli(["doctor", "--json"], { cwd: fixture.dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ name: "config", status: "fail" });
    expect(report.checks[0].detail).toContain('did you mean "limits"');
  });
});
