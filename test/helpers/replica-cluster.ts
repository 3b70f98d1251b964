/**
 * Several `flm serve` processes on one PostgreSQL (a database of their own, dropped at the end),
 * behind a round-robin proxy, with scripted protocol-level fake models in this process: the
 * multi-replica deployment of issue 17 on one machine. Used by test/scale/replicas-e2e.test.ts and
 * bench/replicas.ts.
 */
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import {
  type CliFixture,
  type CliProcess,
  lastUserText,
  startCli,
  startCliFixture,
  writeFlmConfig,
  writeSqliteDb,
} from "../e2e/cli-helpers.js";
import { generateAuditKey } from "../../src/privacy/audit/audit-key.js";
import { type RecordedRequest, reply } from "./fake-openai-server.js";
import { type RoundRobinProxy, startRoundRobinProxy } from "./round-robin-proxy.js";

export const CUSTOMERS = [
  { name: "Maria Keller", email: "maria.keller@acme-mail.de", account: "ACCT-7781-XK" },
  { name: "Jonathan Whitfield", email: "jwhitfield@example.net", account: "ACCT-2209-QM" },
  { name: "Olivia Green", email: "olivia.green@example.org", account: "ACCT-5530-ZT" },
];

export interface ClusterUser {
  id: string;
  token: string;
  limits?: Record<string, number>;
}

export interface ReplicaCluster {
  /** The proxy in front of the replicas. */
  url: string;
  proxy: RoundRobinProxy;
  fixture: CliFixture;
  /** The database the replicas share (state, audit log). */
  dbUrl: string;
  replicas: Array<CliProcess | undefined>;
  /** Each replica's own URL (undefined while down). */
  urls: Array<string | undefined>;
  /** Sends `signal` to replica `i` and waits for it to exit. */
  stop(i: number, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts replica `i` again (a new port). */
  start(i: number): Promise<void>;
  /** The config file the replicas run with (for `flm audit verify`). */
  configPath: string;
  close(): Promise<void>;
}

/** The scripted cloud planner: looks a customer up by the first placeholder in the question. */
export function plannerReply(req: RecordedRequest) {
  const placeholder = /<PERSON_\d+>/.exec(lastUserText(req))?.[0];
  if (!placeholder) return reply.json({ steps: [] });
  return reply.json({ steps: [{ id: "s1", tool: "find_customer", args: { name: placeholder } }] });
}

/** A database of its own on the server of `baseUrl` (the replicas' shared state), and how to drop it. */
export async function createScratchDatabase(
  baseUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `flm_cluster_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function startReplicaCluster(options: {
  replicas: number;
  pgUrl: string;
  users: ClusterUser[];
  /** Extra config (merged over the defaults). */
  config?: Record<string, unknown>;
  /** The local model's reply (default: the context it was given, so answers carry the tool results). */
  answer?: (req: RecordedRequest) => ReturnType<typeof reply.text>;
}): Promise<ReplicaCluster> {
  const fixture = await startCliFixture("cluster");
  const db = await createScratchDatabase(options.pgUrl);
  fixture.cloud.handle(plannerReply);
  fixture.local.handle(
    options.answer ??
      ((req) =>
        reply.text(`From the records: ${String(req.json?.messages?.at(-1)?.content ?? "").slice(-600)}`)),
  );
  writeSqliteDb(join(fixture.dir, "crm.sqlite"), {
    customers: {
      columns: "id INTEGER PRIMARY KEY, name TEXT, email TEXT, account TEXT",
      rows: CUSTOMERS.map((c, i) => [i + 1, c.name, c.email, c.account]),
    },
  });
  generateAuditKey(join(fixture.dir, "audit-key.pem"));
  const env: Record<string, string> = {};
  options.users.forEach((u, i) => {
    env[`FLM_CLUSTER_TOKEN_${i}`] = u.token;
  });
  const configPath = writeFlmConfig(fixture, {
    tools: [
      {
        kind: "sql",
        name: "crm",
        driver: "sqlite",
        path: "crm.sqlite",
        sensitive: [
          { column: "customers.name", type: "PERSON" },
          { column: "customers.email", type: "EMAIL" },
        ],
        queries: [
          {
            name: "find_customer",
            description: "Find a customer by full name.",
            sql: "SELECT id, name, email, account FROM customers WHERE name = :name",
            params: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
          },
        ],
      },
    ],
    audit: { url: db.url, keyPath: "audit-key.pem" },
    state: { url: db.url },
    users: options.users.map((u, i) => ({
      token: `\${FLM_CLUSTER_TOKEN_${i}}`,
      id: u.id,
      roles: ["analyst"],
      ...(u.limits ? { limits: u.limits } : {}),
    })),
    ...options.config,
  });
  const replicas: Array<CliProcess | undefined> = [];
  const urls: Array<string | undefined> = [];
  const start = async (i: number) => {
    const p = startCli(["serve", "--port", "0"], { cwd: fixture.dir, env });
    replicas[i] = p;
    const match = await p.waitForStderr(/listening on (http:\/\/\S+)/, 60_000);
    urls[i] = match[1];
  };
  const proxy = await startRoundRobinProxy(() => urls);
  try {
    // Started together: the migrations must not race.
    await Promise.all(Array.from({ length: options.replicas }, (_, i) => start(i)));
  } catch (error) {
    for (const p of replicas) p?.child.kill("SIGKILL");
    await proxy.close();
    await fixture.close();
    await db.drop().catch(() => undefined);
    throw error;
  }
  return {
    url: proxy.url,
    proxy,
    fixture,
    dbUrl: db.url,
    replicas,
    urls,
    configPath,
    async stop(i, signal) {
      const p = replicas[i];
      if (!p) return { code: null, signal: null };
      p.child.kill(signal);
      const exit = await p.exited;
      urls[i] = undefined;
      replicas[i] = undefined;
      return exit;
    },
    start,
    async close() {
      for (const p of replicas) if (p && p.child.exitCode === null) p.child.kill("SIGKILL");
      await Promise.all(replicas.map((p) => p?.exited));
      await proxy.close();
      await fixture.close();
      await db.drop().catch(() => undefined);
    },
  };
}

/** SHA-256 (hex) of a request body as the audit log records it. */
export const sha256Hex = (body: string) => createHash("sha256").update(body).digest("hex");
