/**
 * Does any attack or fault stall the gateway? Runs `flm serve` (the real binary, in its own
 * process) against scripted model servers, then runs each attack from issue #12 in turn while a
 * prober times `GET /healthz` every 50 ms on its own keep-alive connection. Prints, per attack,
 * the worst and p99 probe latency (target: worst < 100 ms) and what the attack itself got back.
 *
 *   npx tsx bench/gateway-stall.ts                      (all attacks, ~2 minutes)
 *   FLM_STALL_ATTACKS=locked-tool-db,deep-plan npx tsx bench/gateway-stall.ts
 *   FLM_STALL_SLOWLORIS=2000 FLM_STALL_SLOWLORIS_WAIT_S=95 npx tsx bench/gateway-stall.ts
 *
 * The attacks: a tool database and the audit database held under `BEGIN EXCLUSIVE` by another
 * process; a 9,000-turn history (908 KB); a plan nested 5,000 levels deep; a 10,000-step plan of
 * unknown tools (what the repair round sends back); a 413 followed by a request on the same
 * keep-alive connection; slowloris (connections that never finish their headers); a planner
 * answering 429 with Retry-After; the tool's SQLite file replaced on disk.
 */
import { spawn } from "node:child_process";
import { renameSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type CliFixture,
  type CliProcess,
  lastUserText,
  startCli,
  startCliFixture,
  writeFlmConfig,
  writeSqliteDb,
} from "../test/e2e/cli-helpers.js";
import { type RecordedRequest, reply } from "../test/helpers/fake-openai-server.js";

const TOKEN = "tok-bench-stall-0123456789";
const HOLD_MS = Number(process.env.FLM_STALL_HOLD_MS ?? 6_000);
const SLOWLORIS = Number(process.env.FLM_STALL_SLOWLORIS ?? 500);
const SLOWLORIS_WAIT_S = Number(process.env.FLM_STALL_SLOWLORIS_WAIT_S ?? 20);
const ONLY = process.env.FLM_STALL_ATTACKS?.split(",").map((s) => s.trim());

interface Probe {
  latencies: number[];
  stop(): Promise<void>;
}

/** GET /healthz every 50 ms (sequentially: a stalled gateway shows as one long probe). */
function startProbe(base: string): Probe {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let running = true;
  const once = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = httpRequest(`${base}/healthz`, { agent }, (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(performance.now() - t0);
          resolve();
        });
      });
      req.on("error", () => {
        latencies.push(performance.now() - t0);
        resolve();
      });
      req.end();
    });
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      await once();
      await sleep(Math.max(0, 50 - (performance.now() - t0)));
    }
  })();
  return {
    latencies,
    stop: async () => {
      running = false;
      await loop;
      agent.destroy();
    },
  };
}

interface ChatResult {
  status: number;
  text: string;
  ms: number;
  traceId?: string;
}

function chat(base: string, body: unknown): Promise<ChatResult> {
  const t0 = performance.now();
  return fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  }).then(
    async (res) => ({
      status: res.status,
      text: await res.text(),
      ms: performance.now() - t0,
      traceId: res.headers.get("x-flm-trace-id") ?? undefined,
    }),
    (error: Error) => ({ status: 0, text: String(error.cause ?? error.message), ms: performance.now() - t0 }),
  );
}

/** The first step's status and error code, from the run's trace. */
async function stepOf(base: string, r: ChatResult): Promise<string> {
  if (!r.traceId) return "?";
  const res = await fetch(`${base}/v1/traces/${r.traceId}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  if (!res.ok) return "?";
  const trace = (await res.json()) as { steps?: { status: string; error?: { code: string } }[] };
  const step = trace.steps?.[0];
  return step ? `${step.status}${step.error ? ` ${step.error.code}` : ""}` : "no step";
}

const ask = (prompt: string) => ({ model: "flm", messages: [{ role: "user", content: prompt }] });

function codeOf(r: { status: number; text: string }): string {
  try {
    const body = JSON.parse(r.text);
    return `${r.status}${body?.error?.code ? ` ${body.error.code}` : ""}`;
  } catch {
    return `${r.status}${r.status === 0 ? ` ${r.text.slice(0, 60)}` : ""}`;
  }
}

/**
 * Another process holding `BEGIN EXCLUSIVE` on `path` for `ms`. Resolves once the lock is held,
 * with a promise of the locker's exit.
 */
async function lockDatabase(path: string, ms: number): Promise<{ released: Promise<unknown> }> {
  const code = `
    const Database = require(${JSON.stringify(import.meta.resolve("better-sqlite3").replace("file://", ""))});
    const db = new Database(${JSON.stringify(path)});
    db.exec("BEGIN EXCLUSIVE");
    process.stdout.write("locked\\n");
    setTimeout(() => { db.exec("ROLLBACK"); db.close(); }, ${ms});`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  const released = new Promise((resolve) => child.once("exit", resolve));
  await Promise.race([
    new Promise((resolve) => child.stdout!.once("data", resolve)),
    released.then(() => Promise.reject(new Error("the locker exited before taking the lock"))),
  ]);
  return { released };
}

type Attack = (ctx: Ctx) => Promise<string>;
interface Ctx {
  base: string;
  fixture: CliFixture;
  flm: CliProcess;
}

const attacks: Record<string, Attack> = {
  async "locked-tool-db"({ base, fixture }) {
    const locker = await lockDatabase(join(fixture.dir, "crm.sqlite"), HOLD_MS);
    const results = await Promise.all([1, 2, 3].map(() => chat(base, ask("tool: who is Maria Keller?"))));
    await locker.released;
    const steps = await Promise.all(results.map((r) => stepOf(base, r)));
    return `${results.map(codeOf).join(", ")}; slowest ${Math.max(...results.map((r) => r.ms)).toFixed(0)} ms; steps ${steps.join(",")}`;
  },
  async "locked-audit-db"({ base, fixture }) {
    const locker = await lockDatabase(join(fixture.dir, "audit.sqlite"), HOLD_MS);
    const results = await Promise.all([1, 2, 3].map(() => chat(base, ask("tool: who is Maria Keller?"))));
    await locker.released;
    return `${results.map(codeOf).join(", ")}; slowest ${Math.max(...results.map((r) => r.ms)).toFixed(0)} ms`;
  },
  async "long-history"({ base, fixture }) {
    const before = fixture.cloud.requests.length;
    const messages = Array.from({ length: 9_000 }, (_, i) => ({
      role: "user",
      content: `turn ${i}: what about the accounts here, please?!`.padEnd(80, "."),
    }));
    messages.push({ role: "user", content: "tool: who is Maria Keller?" });
    const body = JSON.stringify({ model: "flm", messages });
    const results: ChatResult[] = [];
    for (let i = 0; i < 3; i++) results.push(await chat(base, body));
    const sent = fixture.cloud.requests.slice(before).map((r) => r.body.length);
    return `body ${(body.length / 1024).toFixed(0)} KB; ${results.map(codeOf).join(", ")}; slowest ${Math.max(...results.map((r) => r.ms)).toFixed(0)} ms; largest planner request ${((Math.max(0, ...sent) || 0) / 1024).toFixed(0)} KB`;
  },
  async "long-prompt"({ base }) {
    // The longest prompt the default limits accept: its pseudonymization is CPU in the gateway.
    const words = ["Maria", "Keller", "asked", "about", "invoices", "from", "Berlin", "on", "2024-03-01"];
    const prompt = Array.from({ length: 2_300 }, (_, i) => words[i % words.length])
      .join(" ")
      .slice(0, 19_900);
    const r = await chat(base, ask(`tool: ${prompt}`));
    return `${(prompt.length / 1000).toFixed(1)}k chars: ${codeOf(r)} in ${r.ms.toFixed(0)} ms`;
  },
  async "deep-plan"({ base }) {
    const results = await Promise.all([1, 2].map(() => chat(base, ask("deep: who is Maria Keller?"))));
    return `${results.map(codeOf).join(", ")}${process.env.FLM_STALL_VERBOSE ? ` ${results[0].text.slice(0, 600)}` : ""}`;
  },
  async "huge-repair"({ base, fixture }) {
    const before = fixture.cloud.requests.length;
    const r = await chat(base, ask("unknown: who is Maria Keller?"));
    const sent = fixture.cloud.requests.slice(before).map((q) => q.body.length);
    return `${codeOf(r)}; ${sent.length} planner requests, largest ${(Math.max(0, ...sent) / 1024).toFixed(0)} KB`;
  },
  async "413-keepalive"({ base }) {
    // Node's fetch (undici, what the openai SDK uses) reuses the connection when it can.
    const big = JSON.stringify({
      model: "flm",
      messages: [{ role: "user", content: "x".repeat(1_200_000) }],
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const tooBig = await chat(base, big);
      const next = await chat(base, ask("tool: who is Maria Keller?"));
      outcomes.push(`${codeOf(tooBig)} then ${codeOf(next)}`);
    }
    return outcomes.join("; ");
  },
  async slowloris({ base }) {
    const { hostname, port } = new URL(base);
    const sockets: Socket[] = [];
    let closed = 0;
    for (let i = 0; i < SLOWLORIS; i++) {
      const socket = connect(Number(port), hostname);
      socket.on("error", () => {});
      socket.on("close", () => closed++);
      socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: ${hostname}\r\nX-a: b\r\n`);
      sockets.push(socket);
      if (i % 100 === 99) await sleep(10);
    }
    // Keep trickling a header line now and then, like slowloris does.
    const trickle = setInterval(() => {
      for (const s of sockets)
        if (!s.destroyed) s.write(`X-${Math.random().toString(36).slice(2, 6)}: 1\r\n`);
    }, 5_000);
    const tool = await chat(base, ask("tool: who is Maria Keller?"));
    await sleep(SLOWLORIS_WAIT_S * 1000);
    clearInterval(trickle);
    const open = sockets.filter((s) => !s.destroyed).length;
    for (const s of sockets) s.destroy();
    return `${SLOWLORIS} partial requests: ${open} still open after ${SLOWLORIS_WAIT_S} s (${closed} closed by the server); a real request meanwhile: ${codeOf(tool)}`;
  },
  async "upstream-429"({ base, fixture }) {
    const before = fixture.cloud.requests.length;
    const r = await chat(base, ask("ratelimit: who is Maria Keller?"));
    const calls = fixture.cloud.requests.length - before;
    return `${codeOf(r)} after ${r.ms.toFixed(0)} ms, ${calls} planner calls ${r.text.slice(0, 300)}`;
  },
  async "replaced-db"({ base, fixture }) {
    const first = await chat(base, ask("tool: who is Maria Keller?"));
    const next = join(fixture.dir, "crm-new.sqlite");
    writeSqliteDb(next, {
      customers: {
        columns: "id INTEGER PRIMARY KEY, name TEXT, note TEXT",
        rows: [[1, "Maria Keller", "REPLACED-FILE-MARKER"]],
      },
    });
    renameSync(next, join(fixture.dir, "crm.sqlite"));
    const before = fixture.local.requests.length;
    const second = await chat(base, ask("tool: who is Maria Keller?"));
    const seen = fixture.local.requests.slice(before).some((r) => r.body.includes("REPLACED-FILE-MARKER"));
    return `${codeOf(first)} then ${codeOf(second)}; new file served: ${seen ? "yes" : "NO (old, deleted file)"}`;
  },
};

/** `[[[…"x"…]]]`, written as text (JSON.stringify itself overflows the stack on it). */
function nested(depth: number): string {
  return `${"[".repeat(depth)}"x"${"]".repeat(depth)}`;
}

let rateLimited = 0;
function plannerReply(req: RecordedRequest) {
  // The markers are in the question, which repair requests repeat: a hostile planner stays hostile.
  const text = req.body;
  if (text.includes("deep:"))
    return reply.text(`{"steps":[{"id":"s1","tool":"find_customer","args":{"name":${nested(5_500)}}}]}`);
  if (text.includes("unknown:"))
    return reply.text(JSON.stringify(Array.from({ length: 10_000 }, (_, i) => ({ tool: `nope${i % 10}` }))));
  if (text.includes("ratelimit:") && rateLimited++ % 2 === 0)
    return reply.error(429, "Rate limit reached for requests", { headers: { "retry-after": "1" } });
  const name =
    lastUserText(req).match(/<PERSON_\d+>/)?.[0] ?? text.match(/<PERSON_\d+>/)?.[0] ?? "Maria Keller";
  return reply.json({ steps: [{ id: "s1", tool: "find_customer", args: { name } }] });
}

function stats(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { n: sorted.length, p50: q(0.5), p99: q(0.99), worst: sorted.at(-1) ?? 0 };
}

async function main() {
  const fixture = await startCliFixture("stall");
  const { dir, cloud, local } = fixture;
  cloud.handle(plannerReply);
  local.handle(() => reply.text("Maria Keller is a customer [s1]."));
  writeSqliteDb(join(dir, "crm.sqlite"), {
    customers: {
      columns: "id INTEGER PRIMARY KEY, name TEXT, note TEXT",
      rows: [
        [1, "Maria Keller", "VIP"],
        [2, "Jonas Berg", "new"],
      ],
    },
  });
  writeFlmConfig(fixture, {
    name: "flm",
    tools: [
      {
        kind: "sql",
        name: "crm",
        driver: "sqlite",
        path: "crm.sqlite",
        sensitive: [{ column: "customers.name", type: "PERSON" }],
        queries: [
          {
            name: "find_customer",
            description: "Find a customer by full name.",
            sql: "SELECT id, name, note FROM customers WHERE name = :name",
            params: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
          },
        ],
      },
    ],
    audit: { path: "audit.sqlite" },
    users: [{ token: TOKEN, id: "alice", roles: ["analyst"] }],
    server: { port: 0 },
  });
  const flm = startCli(["serve", "--port", "0"], { cwd: dir });
  const [, base] = await flm.waitForStderr(/listening on (http:\/\/\S+)/, 60_000);
  const warm = await chat(base, ask("tool: who is Maria Keller?"));
  console.log(`gateway ${base} (warm-up request: ${codeOf(warm)})\n`);

  const rows: string[][] = [];
  const idle = startProbe(base);
  await sleep(2_000);
  await idle.stop();
  const s0 = stats(idle.latencies);
  rows.push(["(idle)", String(s0.n), s0.p50.toFixed(1), s0.p99.toFixed(1), s0.worst.toFixed(1), ""]);

  for (const [name, attack] of Object.entries(attacks)) {
    if (ONLY && !ONLY.includes(name)) continue;
    const probe = startProbe(base);
    await sleep(200);
    let outcome: string;
    try {
      outcome = await attack({ base, fixture, flm });
    } catch (error) {
      outcome = `attack failed: ${(error as Error).message}`;
    }
    await sleep(200);
    await probe.stop();
    const s = stats(probe.latencies);
    rows.push([name, String(s.n), s.p50.toFixed(1), s.p99.toFixed(1), s.worst.toFixed(1), outcome]);
    console.log(`${name}: worst /healthz ${s.worst.toFixed(1)} ms; ${outcome}`);
  }

  console.log("\n| attack | probes | p50 ms | p99 ms | worst ms | outcome |");
  console.log("|---|---:|---:|---:|---:|---|");
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log(`\ngateway RSS after the attacks: ${await rssOf(flm)} MB`);
  if (flm.child.exitCode !== null || flm.child.signalCode !== null) {
    console.log(
      `\nthe gateway DIED (${flm.child.exitCode ?? flm.child.signalCode}):\n${flm.stderr.slice(-3_000)}`,
    );
  }

  flm.child.kill("SIGTERM");
  await Promise.race([flm.exited, sleep(15_000)]);
  if (flm.child.exitCode === null) flm.child.kill("SIGKILL");
  await fixture.close();
}

async function rssOf(flm: CliProcess): Promise<string> {
  try {
    const { readFileSync } = await import("node:fs");
    const status = readFileSync(`/proc/${flm.child.pid}/status`, "utf8");
    const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    return (kb / 1024).toFixed(0);
  } catch {
    return "?";
  }
}

await main();
