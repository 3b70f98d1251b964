/**
 * `flm init` through the real CLI: introspects a SQLite file (generated; Chinook from ../shared;
 * Chinook in the CI PostgreSQL), proposes sensitive columns with counts and never values, writes a
 * commented config that loads, an audit key readable by its owner only, and never overwrites.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { sharedFile } from "../helpers/shared-dir.js";
import { runCli, writeSqliteDb } from "./cli-helpers.js";

const EMAILS = [
  "hannah@example.org",
  "li.wei@example.com",
  "o.brack@example.net",
  "mk@example.de",
  "zz@example.io",
];
const NAMES = ["Hannah Schneider", "Li Wei", "Ottoline Brackenridge", "Maria Keller", "Zoe Zimmer"];
const pgUrl = process.env.FLM_TEST_PG_URL;
const chinook = sharedFile("data", "chinook.sqlite");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "flm-init-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const init = (args: string[]) =>
  runCli(["init", "--yes", "--planner", "local", "--generator", "ollama:qwen2.5:3b", ...args], { cwd: dir });

describe("flm init", { timeout: 120_000 }, () => {
  it("proposes sensitive columns by name and by sampled values, writes a config that loads, never overwrites", async () => {
    writeSqliteDb(join(dir, "crm.sqlite"), {
      customers: {
        columns: "id INTEGER PRIMARY KEY, full_name TEXT, email TEXT, segment TEXT",
        rows: NAMES.map((n, i) => [i + 1, n, EMAILS[i], i % 2 ? "retail" : "wholesale"]),
      },
      tickets: {
        columns: "id INTEGER PRIMARY KEY, reporter TEXT, subject TEXT",
        rows: EMAILS.map((e, i) => [i + 1, e, `Printer jam number ${i}`]),
      },
    });
    const r = await init(["--db", "crm.sqlite"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/customers\.full_name\s+PERSON\s+\(from its name\)/);
    expect(r.stderr).toMatch(/customers\.email\s+EMAIL\s+\(from its name\)/);
    expect(r.stderr).toMatch(/tickets\.reporter\s+EMAIL\s+\(5 of 5 sampled values\)/);
    expect(r.stderr).not.toMatch(/segment|subject/);
    for (const value of [...EMAILS, ...NAMES]) expect(r.stdout + r.stderr).not.toContain(value);

    const path = join(dir, "flm.config.yaml");
    const text = readFileSync(path, "utf8");
    expect(text.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=.*flm\.schema\.json$/);
    expect(text).toContain("# Plans (sees only pseudonymized prompts");
    expect(text).toContain("#   tickets.reporter: EMAIL (5 of 5 sampled values)");
    for (const value of [...EMAILS, ...NAMES]) expect(text).not.toContain(value);
    const config = await loadConfig(path);
    expect(config.tools[0]).toMatchObject({
      kind: "sql",
      driver: "sqlite",
      path: "crm.sqlite",
      sensitive: expect.arrayContaining([
        { column: "customers.full_name", type: "PERSON" },
        { column: "tickets.reporter", type: "EMAIL" },
      ]),
    });
    expect(config.audit).toMatchObject({ keyPath: "flm-audit.key" });
    expect(statSync(join(dir, "flm-audit.key")).mode & 0o777).toBe(0o600);

    const again = await init(["--db", "crm.sqlite"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exists");
    expect(again.stderr).toContain("--force");
    expect(readFileSync(path, "utf8")).toBe(text);
    writeFileSync(path, "# mine\n");
    const forced = await init(["--db", "crm.sqlite", "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("without --db and without a terminal says what to pass", async () => {
    const r = await runCli(["init", "--yes"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--db <sqlite-file|postgres://url>");
  });

  it.skipIf(!chinook)("Chinook (SQLite, ../shared): customers' and employees' contact columns", async () => {
    const r = await init(["--db", chinook!]);
    expect(r.code, r.stderr).toBe(0);
    const config = await loadConfig(join(dir, "flm.config.yaml"));
    const sensitive = (config.tools[0] as { sensitive: Array<{ column: string; type: string }> }).sensitive;
    expect(sensitive).toEqual(
      expect.arrayContaining([
        { column: "Customer.Email", type: "EMAIL" },
        { column: "Customer.LastName", type: "PERSON" },
        { column: "Employee.Phone", type: "PHONE" },
      ]),
    );
    expect(sensitive.map((s) => s.column)).not.toContain("Track.Name");
  });

  it.skipIf(!pgUrl)(
    "Chinook in PostgreSQL: the URL's password goes to the environment, not the file",
    async () => {
      const url = Object.assign(new URL(pgUrl!), { pathname: "/chinook" }).toString();
      const r = await init(["--db", url]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/email\s+EMAIL/i);
      const text = readFileSync(join(dir, "flm.config.yaml"), "utf8");
      const { username, password } = new URL(url);
      expect(text).not.toContain(`${username}:${password}@`);
      expect(text).toContain("url: ${FLM_DATABASE_URL}");
      const config = await loadConfig(join(dir, "flm.config.yaml"), { env: { FLM_DATABASE_URL: url } });
      expect(config.tools[0]).toMatchObject({ driver: "postgres", url });
    },
  );
});
