/**
 * bench:replicas (issue 17): 1 vs 3 `flm serve` replicas on one PostgreSQL (state + audit), behind
 * a round-robin proxy, 50 concurrent clients for DURATION_S seconds (default 60) each, scripted
 * instant fake models (so what is measured is flm itself: privacy, planning round trip, tools, the
 * shared state, the audit append). Prints throughput, p50/p99 latency, errors, and each replica's
 * resident memory. Needs FLM_TEST_PG_URL (a role that may CREATE DATABASE) and a build (`npm run build`).
 *
 *   FLM_TEST_PG_URL=postgres://flm:flm@127.0.0.1:5432/flm_test npx tsx bench/replicas.ts
 */
import { readFileSync } from "node:fs";
import { type ReplicaCluster, startReplicaCluster } from "../test/helpers/replica-cluster.js";

const PG = process.env.FLM_TEST_PG_URL;
const DURATION_S = Number(process.env.DURATION_S ?? 60);
const CLIENTS = Number(process.env.CLIENTS ?? 50);
const USERS = Array.from({ length: 10 }, (_, i) => ({
  id: `user${i}`,
  token: `tok-bench-user-${i}-0123456789`,
}));
const NAMES = ["Maria Keller", "Jonathan Whitfield", "Olivia Green"];

function rssMiB(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function load(cluster: ReplicaCluster) {
  const latencies: number[] = [];
  const statuses = new Map<string, number>();
  let stop = false;
  let peakRss: number[] = [];
  const sampler = setInterval(() => {
    const now = cluster.replicas.map((p) => rssMiB(p?.child.pid));
    peakRss = now.map((v, i) => Math.max(v, peakRss[i] ?? 0));
  }, 500);
  const client = async (n: number) => {
    let turn = 0;
    while (!stop) {
      const user = USERS[n % USERS.length]!;
      const name = NAMES[(n + turn++) % NAMES.length];
      const t0 = performance.now();
      let key: string;
      try {
        const res = await fetch(`${cluster.url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
          body: JSON.stringify({
            model: "flm",
            messages: [
              { role: "user", content: `What account does ${name} have? (client ${n}, turn ${turn})` },
            ],
          }),
        });
        const text = await res.text();
        key = String(res.status);
        if (res.status !== 200) {
          try {
            key += ` ${(JSON.parse(text) as { error?: { code?: string } }).error?.code ?? ""}`;
          } catch {
            // not JSON: the status alone
          }
        }
      } catch (error) {
        key = (error as Error).name;
      }
      if (key === "200") latencies.push(performance.now() - t0);
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
  };
  const t0 = performance.now();
  const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));
  await new Promise((r) => setTimeout(r, DURATION_S * 1000));
  stop = true;
  await Promise.all(clients);
  clearInterval(sampler);
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return {
    ok: latencies.length,
    perSecond: latencies.length / seconds,
    p50: q(0.5),
    p99: q(0.99),
    statuses: Object.fromEntries(statuses),
    peakRssMiB: peakRss.map((v) => Math.round(v)),
  };
}

async function main() {
  if (!PG) {
    console.error("bench:replicas needs FLM_TEST_PG_URL (PostgreSQL).");
    process.exit(2);
  }
  console.log(
    `bench:replicas — ${CLIENTS} clients, ${DURATION_S} s per configuration, ${USERS.length} users`,
  );
  const rows = [];
  for (const replicas of [1, 3]) {
    const cluster = await startReplicaCluster({ replicas, pgUrl: PG, users: USERS });
    try {
      const idle = cluster.replicas.map((p) => Math.round(rssMiB(p?.child.pid)));
      const r = await load(cluster);
      rows.push({ replicas, ...r, idleRssMiB: idle });
      console.log(
        `${replicas} replica(s): ${r.perSecond.toFixed(1)} runs/s, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, ` +
          `statuses ${JSON.stringify(r.statuses)}, RSS idle ${JSON.stringify(idle)} MiB → peak ${JSON.stringify(r.peakRssMiB)} MiB`,
      );
    } finally {
      await cluster.close();
    }
  }
  console.log(JSON.stringify({ bench: "replicas", clients: CLIENTS, durationS: DURATION_S, rows }, null, 2));
}

await main();
