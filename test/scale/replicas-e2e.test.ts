/**
 * Issue 17, as it would run in production, on one machine: three `flm serve` processes sharing one
 * PostgreSQL database (state.url and audit.url), a round-robin proxy in front, scripted fake models.
 * Conversations hop replicas on every turn; mixed load from 50 clients while one replica is killed
 * with SIGKILL and another restarted; per-user limits across replicas. Judged by what the fake
 * cloud received, by the audit chain in the database, and by every client getting an answer.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../e2e/cli-helpers.js";
import { PG_URL } from "../helpers/pg-test-schemas.js";
import { type ReplicaCluster, sha256Hex, startReplicaCluster } from "../helpers/replica-cluster.js";

const ALICE = { id: "alice", token: "tok-cluster-alice-0123456789" };
const BOB = { id: "bob", token: "tok-cluster-bob-0123456789" };
const LIMITED = { id: "lena", token: "tok-cluster-lena-0123456789", limits: { requestsPerMinute: 5 } };

let cluster: ReplicaCluster;

beforeAll(async () => {
  if (!PG_URL) return;
  cluster = await startReplicaCluster({ replicas: 3, pgUrl: PG_URL, users: [ALICE, BOB, LIMITED] });
}, 90_000);
afterAll(async () => {
  await cluster?.close();
}, 30_000);

interface Turn {
  role: "user" | "assistant";
  content: string;
}

async function chat(
  token: string,
  messages: Turn[],
): Promise<{
  status: number;
  replica?: string;
  text?: string;
  retryAfter?: string | null;
  traceId?: string;
}> {
  const res = await fetch(`${cluster.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "flm", messages }),
    signal: AbortSignal.timeout(45_000),
  });
  const body = (await res.json()) as { choices?: Array<{ message: { content: string } }> };
  return {
    status: res.status,
    replica: res.headers.get("x-replica") ?? undefined,
    text: body.choices?.[0]?.message.content,
    retryAfter: res.headers.get("retry-after"),
    traceId: res.headers.get("x-flm-trace-id") ?? undefined,
  };
}

describe.skipIf(!PG_URL)("three replicas behind a round-robin proxy", { timeout: 90_000 }, () => {
  it("a 3-turn conversation hops replicas: placeholders stay stable, an answer from one is tainted on the others", async () => {
    const cloud = cluster.fixture.cloud;
    const from = cloud.requests.length;
    const history: Turn[] = [];
    const replicas: string[] = [];
    const questions = [
      "What account does Maria Keller have?",
      "And Jonathan Whitfield?",
      // Quotes the account number replica A answered with: it must not reach the cloud from any replica.
      "Is ACCT-7781-XK also the account of Maria Keller?",
    ];
    for (const q of questions) {
      history.push({ role: "user", content: q });
      const r = await chat(ALICE.token, history);
      expect(r.status).toBe(200);
      replicas.push(r.replica!);
      history.push({ role: "assistant", content: r.text! });
    }
    expect(new Set(replicas).size).toBe(3);
    expect(history[1]!.content).toContain("ACCT-7781-XK"); // the answer did carry it
    const sent = cloud.requests.slice(from).map((r) => r.body);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toContain("<PERSON_1>");
    expect(sent[1]).toContain("<PERSON_2>");
    expect(sent[2]).toContain("<PERSON_1>");
    expect(sent[2]).toMatch(/<RESULT_VALUE_\d+>/);
    for (const body of sent)
      for (const secret of [
        "Maria Keller",
        "Jonathan Whitfield",
        "ACCT-7781-XK",
        "maria.keller@acme-mail.de",
      ])
        expect(body).not.toContain(secret);
  });

  it("per-user limits hold across replicas (within one request)", async () => {
    const results = await Promise.all(
      Array.from({ length: 15 }, () =>
        chat(LIMITED.token, [{ role: "user", content: "Who is Olivia Green?" }]),
      ),
    );
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(5);
    expect(ok).toBeLessThanOrEqual(6);
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length).toBe(15 - ok);
    for (const r of refused) expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("under load from 50 clients, SIGKILL of one replica and a restart of another lose no request and no audit record", async () => {
    const cloud = cluster.fixture.cloud;
    const cloudBefore = cloud.requests.length;
    const outcomes: Array<number | string> = [];
    const finished: Array<{ token: string; traceId: string }> = [];
    let stop = false;
    const client = async (n: number) => {
      const who = n % 2 ? ALICE : BOB;
      const name = ["Maria Keller", "Jonathan Whitfield", "Olivia Green"][n % 3];
      while (!stop) {
        try {
          const r = await chat(who.token, [{ role: "user", content: `What account does ${name} have?` }]);
          outcomes.push(r.status);
          if (r.status === 200 && r.traceId) finished.push({ token: who.token, traceId: r.traceId });
        } catch (error) {
          outcomes.push(`error: ${(error as Error).name}`);
        }
      }
    };
    const clients = Array.from({ length: 50 }, (_, n) => client(n));
    await new Promise((r) => setTimeout(r, 3_000));
    const killed = await cluster.stop(1, "SIGKILL");
    expect(killed.signal).toBe("SIGKILL");
    await new Promise((r) => setTimeout(r, 1_000));
    const drained = await cluster.stop(2, "SIGTERM");
    expect(drained.code).toBe(0);
    await cluster.start(2);
    await new Promise((r) => setTimeout(r, 2_000));
    stop = true;
    await Promise.all(clients);
    await cluster.start(1);

    // Every request got a reply: a completion, or an error status (never a hang: fetch would time out).
    expect(outcomes.filter((o) => typeof o === "string")).toEqual([]);
    const ok = outcomes.filter((o) => o === 200).length;
    expect(ok).toBeGreaterThan(20);
    for (const status of outcomes) expect([200, 502, 503]).toContain(status);

    // Traces of finished runs are readable from every replica (whichever one ran them).
    const sample = finished.filter((_, i) => i % Math.max(1, Math.floor(finished.length / 8)) === 0);
    for (const url of cluster.urls.filter((u): u is string => Boolean(u)))
      for (const { token, traceId } of sample) {
        const res = await fetch(`${url}/v1/traces/${traceId}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status, `${traceId} on ${url}`).toBe(200);
      }

    // The audit chain verifies, and every request the cloud received has exactly one record.
    const verify = await runCli(["audit", "verify", "--config", cluster.configPath], {
      cwd: cluster.fixture.dir,
      env: {
        FLM_CLUSTER_TOKEN_0: "x".repeat(10),
        FLM_CLUSTER_TOKEN_1: "y".repeat(10),
        FLM_CLUSTER_TOKEN_2: "z".repeat(10),
      },
    });
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
    const db = new pg.Client({ connectionString: cluster.dbUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ seq: string; body_sha256: string; decision: string }>(
        "SELECT seq, body_sha256, decision FROM flm_audit.audit_records ORDER BY seq",
      );
      // One chain: sequence numbers 1..n, no gap, no duplicate.
      expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
      // Every body the cloud received was recorded first (as many times as it was received); a
      // record without a delivery is a request cut by the SIGKILL after its record, never the reverse.
      const recorded = new Map<string, number>();
      for (const r of rows) recorded.set(r.body_sha256, (recorded.get(r.body_sha256) ?? 0) + 1);
      const received = new Map<string, number>();
      for (const req of cloud.requests)
        received.set(sha256Hex(req.body), (received.get(sha256Hex(req.body)) ?? 0) + 1);
      for (const [sha, n] of received) expect(recorded.get(sha) ?? 0).toBeGreaterThanOrEqual(n);
      expect(rows.length).toBeGreaterThanOrEqual(cloud.requests.length);
      console.info(
        `[replicas-e2e] ${outcomes.length} requests: ${ok} answered, ${outcomes.length - ok} error replies; ` +
          `${cloud.requests.length - cloudBefore} planner calls; ${rows.length} audit records in one verified chain`,
      );
    } finally {
      await db.end();
    }
  });
});
