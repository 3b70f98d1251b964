/**
 * The sensitive index is live (issue 11, item 2), end to end with the real `flm serve` binary and
 * the official `openai` client: a customer added to the database while the gateway runs is
 * pseudonymized (a placeholder reaches the cloud, not the name) after one refresh interval, after
 * SIGHUP, after `flm index refresh`, and after the admin endpoint; judged by what the fake cloud
 * endpoint received.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply } from "../helpers/fake-openai-server.js";
import {
  type CliFixture,
  type CliProcess,
  crmTool,
  findCustomerQuery,
  lastUserText,
  runCli,
  startCli,
  startCliFixture,
  writeFlmConfig,
  writeSqliteDb,
} from "../e2e/cli-helpers.js";

const ADMIN = "tok-live-admin-0123456789";
const ALICE = "tok-live-alice-0123456789";

interface Served {
  fixture: CliFixture;
  flm: CliProcess;
  url: string;
  db: Database.Database;
  client: OpenAI;
}

async function serve(name: string, refreshIntervalMs: number): Promise<Served> {
  const fixture = await startCliFixture(name);
  fixture.cloud.handle(() => reply.json({ steps: [] }));
  fixture.local.handle(() => reply.text("Noted."));
  const path = join(fixture.dir, "crm.sqlite");
  writeSqliteDb(path, {
    customers: { columns: "id INTEGER PRIMARY KEY, name TEXT", rows: [[1, "Maria Keller"]] },
  });
  writeFlmConfig(fixture, {
    tools: [crmTool([findCustomerQuery("id, name")])],
    privacy: { refreshIntervalMs },
    users: [
      { token: ADMIN, id: "ops", roles: ["admin"] },
      { token: ALICE, id: "alice", roles: ["analyst"] },
    ],
  });
  const flm = startCli(["serve", "--port", "0"], { cwd: fixture.dir });
  const url = (await flm.waitForStderr(/listening on (http:\/\/\S+)/))[1]!;
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: ALICE, maxRetries: 0 });
  return { fixture, flm, url, db: new Database(path), client };
}

async function stop(s: Served | undefined) {
  if (!s) return;
  s.db.close();
  if (s.flm.child.exitCode === null && s.flm.child.signalCode === null) s.flm.child.kill("SIGKILL");
  await s.fixture.close();
}

/**
 * Asks about `name`, in lower case (so nothing but the index can tell it is a name); returns the
 * question the cloud planner received.
 */
async function askAbout(s: Served, name: string): Promise<string> {
  const before = s.fixture.cloud.requests.length;
  const content = `who is ${name.toLowerCase()}?`;
  await s.client.chat.completions.create({ model: "flm", messages: [{ role: "user", content }] });
  const sent = s.fixture.cloud.requests.slice(before);
  expect(sent).toHaveLength(1);
  for (const part of name.toLowerCase().split(" ")) expect(sent[0]!.body.toLowerCase()).not.toContain(part);
  return lastUserText(sent[0]!);
}

const add = (s: Served, name: string) => s.db.prepare("INSERT INTO customers (name) VALUES (?)").run(name);

describe("a row added while flm serve runs", { timeout: 60_000 }, () => {
  let timed: Served | undefined;
  let manual: Served | undefined;
  beforeAll(async () => {
    [timed, manual] = await Promise.all([serve("live-timed", 400), serve("live-manual", 0)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([stop(timed), stop(manual)]);
  });

  it("is pseudonymized after one refresh interval (privacy.refreshIntervalMs)", async () => {
    add(timed!, "Zebulon Quaintance");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await askAbout(timed!, "Zebulon Quaintance")).toMatch(/^who is <PERSON_\d+>\?$/);
  });

  it("is pseudonymized after SIGHUP", async () => {
    add(manual!, "Ottilie Brandywine");
    manual!.flm.child.kill("SIGHUP");
    await manual!.flm.waitForStderr(/sensitive index refreshed: 1 new value/);
    expect(await askAbout(manual!, "Ottilie Brandywine")).toMatch(/<PERSON_\d+>/);
  });

  it("is pseudonymized after `flm index refresh`", async () => {
    add(manual!, "Cornelius Fairweather");
    const r = await runCli(["index", "refresh", "--url", manual!.url], { cwd: manual!.fixture.dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sensitive index refreshed \(incremental\): 1 new value\(s\)/);
    expect(await askAbout(manual!, "Cornelius Fairweather")).toMatch(/<PERSON_\d+>/);
  });

  it("is pseudonymized after the admin endpoint, which needs the admin role", async () => {
    add(manual!, "Philippa Wintergreen");
    const refresh = (token: string, query = "") =>
      fetch(`${manual!.url}/v1/admin/index/refresh${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
    const refused = await refresh(ALICE);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("forbidden");
    expect((await refresh("wrong-token")).status).toBe(401);
    const ok = await refresh(ADMIN, "?full=true");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ object: "index.refresh", mode: "full", values: 4 });
    expect(await askAbout(manual!, "Philippa Wintergreen")).toMatch(/<PERSON_\d+>/);
  });
});
