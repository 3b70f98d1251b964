/**
 * federated-lm side by side with the two designs users pick instead, on the same scripted models,
 * tools, data and latency profile. Prints the table and writes bench/results/compare.md.
 * Run: npm run bench:compare  [-- --concurrency 4 --no-privacy --designs federated,react
 *   --local-tps 80-120 --cloud-rtt 200-400 --local-slots 4 --out bench/results/compare-fast-local.md]
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sharedFile } from "../../test/helpers/shared-dir.js";
import { chinookSensitiveValues, openChinook } from "./chinook-tools.js";
import { physicalLimits } from "./physical-limit.js";
import { FEDERATED_VARIANTS } from "./designs.js";
import type { DesignRun } from "./run-design.js";
import {
  DEFAULT_PROFILE,
  type DesignId,
  type LatencyProfile,
  type EndpointStats,
  newStats,
  startScriptedModels,
} from "./scripted-models.js";
import { stepLevels, WORKLOAD } from "./workload.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const args = process.argv.slice(2);
const concurrency = Number(args[args.indexOf("--concurrency") + 1] || 0) || 4;
const privacy = !args.includes("--no-privacy");
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const range = (v: string | undefined, fallback: [number, number]): [number, number] => {
  const m = v ? /^(\d+)-(\d+)$/.exec(v) : null;
  return m ? [Number(m[1]), Number(m[2])] : fallback;
};
// What-if profiles: e.g. --local-tps 80-120 (a GPU-served local model), --cloud-rtt 200-400.
const profile: LatencyProfile = {
  ...DEFAULT_PROFILE,
  localTokensPerSec: range(option("--local-tps"), DEFAULT_PROFILE.localTokensPerSec),
  cloudRttMs: range(option("--cloud-rtt"), DEFAULT_PROFILE.cloudRttMs),
  localSlots: Number(option("--local-slots") ?? DEFAULT_PROFILE.localSlots) || DEFAULT_PROFILE.localSlots,
};
const only = option("--designs")?.split(",");
const output = option("--out") ?? "bench/results/compare.md";
const techniques = args.includes("--techniques");

const dbFile = process.env.FLM_CHINOOK_SQLITE ?? sharedFile("data", "chinook.sqlite");
if (!dbFile) {
  console.error("bench:compare needs ../shared/data/chinook.sqlite (or FLM_CHINOOK_SQLITE=path).");
  process.exit(1);
}
const db = openChinook(dbFile);
const sensitive = chinookSensitiveValues(db).map((v) => v.value);
const limits = await physicalLimits(WORKLOAD, db, profile);
db.close();

const models = await startScriptedModels({ workload: WORKLOAD, sensitiveValues: sensitive, profile });
const designs = (
  [
    ["federated", "federated-lm"],
    ["sequential", "sequential PoC"],
    ["react", "cloud ReAct (AI SDK)"],
  ] as Array<[DesignId, string]>
).filter(([d]) => !only || only.includes(d));
const runs = new Map<DesignId, DesignRun>();
const t0 = performance.now();
for (const [design, label] of designs) {
  process.stderr.write(`running ${label} (${WORKLOAD.length} questions, ${concurrency} at a time)…\n`);
  runs.set(design, await runChild(design));
}
const variantRuns = new Map<string, DesignRun>();
if (techniques) {
  for (const v of FEDERATED_VARIANTS) {
    process.stderr.write(`running federated-lm, ${v.label}…\n`);
    variantRuns.set(v.name, await runChild("federated", v.name));
  }
}
await models.close();
const totalS = (performance.now() - t0) / 1000;

// ---- table -------------------------------------------------------------------------------
const pct = (xs: number[], p: number) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const sec = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : "n/a");
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const dependent = new Set(
  WORKLOAD.filter((q) => Math.max(...stepLevels(q.plan).values()) > 0).map((q) => q.id),
);
const piiQuestions = WORKLOAD.filter((q) => q.pii).length;
const empty: EndpointStats = newStats();

const rows: Array<[string, ...string[]]> = [];
const limitOf = (id: string) => limits.get(id)!;
/** A row; `limit` fills the physical-limit column where the measure has one. */
const add = (
  measure: string,
  f: (d: DesignId, run: DesignRun, cloud: EndpointStats, local: EndpointStats) => string,
  limit = "",
) =>
  rows.push([
    measure,
    ...designs.map(([d]) =>
      f(d, runs.get(d)!, models.stats.cloud.get(d) ?? empty, models.stats.local.get(d) ?? empty),
    ),
    limit,
  ]);
const limitLat = (ids?: Set<string>, neg = false) =>
  WORKLOAD.filter((q) => !ids || ids.has(q.id) !== neg).map((q) => limitOf(q.id).endToEndMs);
const lat = (run: DesignRun, ids?: Set<string>, neg = false) =>
  run.results.filter((r) => !ids || ids.has(r.id) !== neg).map((r) => r.latencyMs);
const firsts = (r: DesignRun) => r.results.map((x) => x.firstTokenMs);
const limitFirsts = WORKLOAD.map((q) => limitOf(q.id).firstTokenMs);
add("end-to-end latency p50", (_, r) => sec(pct(lat(r), 50)), sec(pct(limitLat(), 50)));
add("end-to-end latency p95", (_, r) => sec(pct(lat(r), 95)), sec(pct(limitLat(), 95)));
add(
  `  p50, ${WORKLOAD.length - dependent.size} questions without dependent calls`,
  (_, r) => sec(pct(lat(r, dependent, true), 50)),
  sec(pct(limitLat(dependent, true), 50)),
);
add(
  `  p50, ${dependent.size} questions with dependent calls`,
  (_, r) => sec(pct(lat(r, dependent), 50)),
  sec(pct(limitLat(dependent), 50)),
);
add("time to first answer token p50", (_, r) => sec(pct(firsts(r), 50)), sec(pct(limitFirsts, 50)));
add("time to first answer token p95", (_, r) => sec(pct(firsts(r), 95)), sec(pct(limitFirsts, 95)));
const ratio = (r: DesignRun, p: number) =>
  pct(
    r.results.map((x) => x.latencyMs / limitOf(x.id).endToEndMs),
    p,
  );
add(
  "end-to-end / physical limit, per question p50 (p95)",
  (_, r) => `${ratio(r, 50).toFixed(2)}x (${ratio(r, 95).toFixed(2)}x)`,
);
add(
  "cloud round trips (total / per question)",
  (_, __, c) => `${c.requests} / ${(c.requests / WORKLOAD.length).toFixed(2)}`,
);
add("cloud input tokens (total)", (_, __, c) => int(c.inputTokens));
add("  of which read from the provider's prompt cache", (_, __, c) => int(c.cachedTokens));
add("cloud output tokens (total)", (_, __, c) => int(c.outputTokens));
add("tool result bytes received by the cloud", (_, __, c) => int(c.toolBytes));
add("customer values received by the cloud (occurrences)", (_, __, c) => int(c.sensitiveHits));
add(
  "  distinct customer values / questions leaking",
  (_, __, c) => `${c.sensitiveDistinct.size} / ${c.leakingQuestions.size} of ${WORKLOAD.length}`,
);
add(
  "local model tokens in / out (total)",
  (_, __, ___, l) => `${int(l.inputTokens)} / ${int(l.outputTokens)}`,
);
add(
  "  prompt tokens prefilled / reused from a slot's cache",
  (_, __, ___, l) => `${int(l.prefillTokens)} / ${int(l.cachedTokens)}`,
);
add("  time waiting for a free local slot (total)", (_, __, ___, l) => sec(l.slotWaitMs));
add(
  "tool calls run (empty results / errors)",
  (_, r) => `${r.tools.calls} (${r.tools.empty} / ${r.tools.errors})`,
);
add("peak RSS of the design's process", (_, r) => `${r.peakRssMb.toFixed(0)} MB`);
add("failed questions", (_, r) => String(r.results.filter((x) => x.error).length));

const renderTable = (header: string[], body: string[][]) => {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    ...body.map(line),
  ].join("\n");
};
const table = renderTable(["measure", ...designs.map(([, l]) => l), "physical limit"], rows);

// ---- one row per latency technique turned off (--techniques) ---------------------------------
const variantTable = techniques
  ? renderTable(
      [
        "federated-lm",
        "e2e p50",
        "e2e p95",
        "first token p50",
        "first token p95",
        "e2e / limit p50 (p95)",
        "cloud tokens in / out",
        "local prefilled / reused",
      ],
      [
        ...FEDERATED_VARIANTS.map((v) => {
          const r = variantRuns.get(v.name)!;
          const c = models.stats.cloud.get(`federated:${v.name}`) ?? empty;
          const l = models.stats.local.get(`federated:${v.name}`) ?? empty;
          return [
            v.label,
            sec(pct(lat(r), 50)),
            sec(pct(lat(r), 95)),
            sec(pct(firsts(r), 50)),
            sec(pct(firsts(r), 95)),
            `${ratio(r, 50).toFixed(2)}x (${ratio(r, 95).toFixed(2)}x)`,
            `${int(c.inputTokens)} / ${int(c.outputTokens)}`,
            `${int(l.prefillTokens)} / ${int(l.cachedTokens)}`,
          ];
        }),
        [
          "physical limit",
          sec(pct(limitLat(), 50)),
          sec(pct(limitLat(), 95)),
          sec(pct(limitFirsts, 50)),
          sec(pct(limitFirsts, 95)),
          "1.00x",
          "",
          "",
        ],
      ],
    )
  : "";

// ---- the #14 targets, from this run ----------------------------------------------------------
const targetLines: string[] = [];
const flm = runs.get("federated");
const react = runs.get("react");
const sequential = runs.get("sequential");
if (flm && react) {
  const fc = models.stats.cloud.get("federated") ?? empty;
  const rc = models.stats.cloud.get("react") ?? empty;
  const sc = models.stats.cloud.get("sequential");
  const check = (name: string, value: string, ok: boolean) =>
    targetLines.push(`| ${name} | ${value} | ${ok ? "met" : "**missed**"} |`);
  const ttft = pct(firsts(flm), 50) / pct(firsts(react), 50);
  check("time to first answer token p50 ≤ 0.7x ReAct's", `${ttft.toFixed(2)}x`, ttft <= 0.7);
  const e2e = pct(lat(flm), 50) / pct(lat(react), 50);
  check("end-to-end p50 ≤ 1.1x ReAct's (≤ 1.0x with --local-tps 80-120)", `${e2e.toFixed(2)}x`, e2e <= 1.1);
  const before = variantRuns.get("all-off");
  if (before) {
    const p95 = pct(lat(flm), 95);
    const p95b = pct(lat(before), 95);
    check(
      "end-to-end p95 no worse than before #14 (all four techniques off, same run)",
      `${sec(p95)} vs ${sec(p95b)}`,
      p95 <= p95b,
    );
  }
  const fewer = rc.inputTokens / Math.max(1, fc.inputTokens);
  check("cloud input tokens ≥ 5x fewer than ReAct", `${fewer.toFixed(1)}x fewer`, fewer >= 5);
  if (sequential && sc)
    check(
      "cloud output tokens ≤ the sequential design's",
      `${int(fc.outputTokens)} vs ${int(sc.outputTokens)}`,
      fc.outputTokens <= sc.outputTokens,
    );
  const toLimit = pct(lat(flm), 50) / pct(limitLat(), 50);
  check(
    "end-to-end within 1.15x of the physical limit (p50 over p50; per question p50 in the table)",
    `${toLimit.toFixed(2)}x (per question ${ratio(flm, 50).toFixed(2)}x)`,
    toLimit <= 1.15,
  );
  check(
    "zero tool-result bytes and customer values at the cloud",
    `${int(fc.toolBytes)} bytes, ${int(fc.sensitiveHits)} values`,
    fc.toolBytes === 0 && fc.sensitiveHits === 0,
  );
}
const targets = targetLines.length
  ? `| target (issue #14) | measured | |\n|:--|--:|:--|\n${targetLines.join("\n")}`
  : "";

const errors = [...runs.values(), ...variantRuns.values()].flatMap((r) =>
  r.results.filter((x) => x.error).map((x) => `${r.variant ?? r.design} ${x.id}: ${x.error}`),
);
const p = profile;
const machine = `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
const md = `# bench:compare — federated-lm vs sequential PoC vs cloud ReAct

Date: ${new Date().toISOString()}
Machine: ${machine}
Workload: ${WORKLOAD.length} questions over Chinook (\`bench/compare/workload.ts\`), ${piiQuestions} naming a customer, ${dependent.size} with dependent calls, ${WORKLOAD.reduce((n, q) => n + q.plan.length, 0)} planned tool calls; ${concurrency} questions in flight per design; total bench time ${totalS.toFixed(0)} s.
Latency profile: cloud round trip ${p.cloudRttMs.join("–")} ms per call (seeded) before the first token, then decode at ${p.cloudTokensPerSec} tokens/s, streamed or not; local server with ${p.localSlots} slots (llama.cpp-style prompt cache per slot), decode ${p.localTokensPerSec.join("–")} tokens/s per question (seeded), prefill ${p.localPrefillTokensPerSec} tokens/s for the prompt tokens past the slot's cached prefix, ${p.localOverheadMs} ms per request; tools ${p.toolMs.join("–")} ms per call (seeded); answers 60–120 tokens, the same length whichever model writes them.
federated-lm privacy: ${runs.get("federated")?.privacy ?? "n/a"}.

${table}
${targets ? `\n${targets}\n` : ""}${variantTable ? `\nfederated-lm with one latency technique off at a time (\`--techniques\`; same scripted servers and draws, each run in its own process):\n\n${variantTable}\n` : ""}
Physical limit (per question, \`bench/compare/physical-limit.ts\`): one planner round trip, the plan decoded in the compact one-line-per-step form with each step startable once its line is decoded, the tools on their critical path, then only the last result to prefill and the answer to decode; everything else assumed hidden. "End-to-end / physical limit" is the per-question ratio of a design's latency to it.

How it is counted: the scripted servers count everything from what they received and sent. Tokens are approximated with \`approximateTokenCounter\` (src/context/token-counter.ts) over each raw request body (JSON, tool schemas included) and each reply's text or tool-call JSON, the same counter for every design. "Tool result bytes" are the bytes of \`role: "tool"\` message contents; "customer values" are occurrences of Chinook customer full names, emails, phones and street addresses (${new Set(sensitive).size} values) in any string of a request body, re-sent history included. Peak RSS is per design, each in its own Node process (includes the runtime and the AI SDK, about the same for all three).
${errors.length ? `\nFailed questions:\n${errors.map((e) => `- ${e}`).join("\n")}\n` : ""}`;

console.log(`\n${table}\n`);
if (targets) console.log(`${targets}\n`);
if (variantTable) console.log(`${variantTable}\n`);
console.log(`machine: ${machine}`);
console.log(`federated-lm privacy: ${runs.get("federated")?.privacy}`);
if (errors.length) console.log(`failed questions:\n${errors.join("\n")}`);
const out = resolve(root, output);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, md);
console.log(`written to ${relative(process.cwd(), out)} (${totalS.toFixed(0)} s)`);

function runChild(design: DesignId, variant?: string): Promise<DesignRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(here, "run-design.ts"), design], {
      cwd: root,
      env: {
        ...process.env,
        BENCH_CLOUD_URL: models.cloud.url,
        BENCH_LOCAL_URL: models.local.url,
        BENCH_DB: dbFile,
        BENCH_CONCURRENCY: String(concurrency),
        BENCH_PRIVACY: privacy ? "1" : "0",
        ...(variant ? { BENCH_VARIANT: variant } : {}),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
      if (code !== 0 || !line)
        return reject(new Error(`${design} exited with ${code}:\n${out.slice(-2000)}`));
      resolve(JSON.parse(line.slice("BENCH_RESULT ".length)) as DesignRun);
    });
  });
}
