/**
 * One design's run, in its own process so its peak memory is its own. Started by run.ts with the
 * scripted servers' URLs in the environment; prints one `BENCH_RESULT {json}` line.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createEgressTap } from "../../src/privacy/egress-tap.js";
import type { AgentPrivacy } from "../../src/core/privacy-hooks.js";
import type { Tool } from "../../src/tools/tool.js";
import type { SensitiveValue } from "../../src/tools/tool-source.js";
import { chinookSensitiveValues, createChinookTools, openChinook } from "./chinook-tools.js";
import { DESIGNS, type DesignContext, FEDERATED_VARIANTS, type QuestionResult } from "./designs.js";
import { toolMsOf } from "./physical-limit.js";
import { DEFAULT_PROFILE, type DesignId } from "./scripted-models.js";
import { WORKLOAD } from "./workload.js";

export interface DesignRun {
  design: DesignId;
  /** federated-lm with some techniques off (BENCH_VARIANT, a FEDERATED_VARIANTS name). */
  variant?: string;
  results: QuestionResult[];
  peakRssMb: number;
  privacy: string;
  wallMs: number;
  tools: { calls: number; empty: number; errors: number };
}

const design = process.argv[2] as DesignId;
if (!DESIGNS[design]) throw new Error(`usage: run-design.ts <${Object.keys(DESIGNS).join("|")}>`);
const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`run-design.ts: ${name} is not set; start it through bench/compare/run.ts`);
  return v;
};

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

const db = openChinook(env("BENCH_DB"));
const toolStats = { calls: 0, empty: 0, errors: 0 };
// Counted around every tool, so one can check that the designs did equivalent work.
const tools: Tool[] = createChinookTools(db, {
  latencyMs: (tool, args) => toolMsOf(DEFAULT_PROFILE, tool, args),
}).map((t) => ({
  ...t,
  validate: t.validate,
  run: async (input, context) => {
    toolStats.calls++;
    try {
      const out = (await t.run(input, context)) as { rows?: unknown[] };
      if (!out?.rows?.length) toolStats.empty++;
      return out;
    } catch (error) {
      toolStats.errors++;
      throw error;
    }
  },
}));
const ctx: DesignContext = { cloudUrl: env("BENCH_CLOUD_URL"), localUrl: env("BENCH_LOCAL_URL"), tools };
let privacyNote = "not applicable";
const variantName = process.env.BENCH_VARIANT;
if (variantName) {
  ctx.variant = FEDERATED_VARIANTS.find((v) => v.name === variantName);
  if (design !== "federated" || !ctx.variant)
    throw new Error(`run-design.ts: unknown variant ${variantName}`);
}
if (design === "federated") {
  const loaded =
    process.env.BENCH_PRIVACY === "0" ? undefined : await loadPrivacy(chinookSensitiveValues(db));
  ctx.privacy = loaded;
  privacyNote = loaded ? loaded.source : "off (no privacy adapter found, or disabled)";
}

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
const results: QuestionResult[] = [];
const queue = [...WORKLOAD];
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let q = queue.shift(); q; q = queue.shift()) results.push(await DESIGNS[design](q, ctx));
  }),
);
const wallMs = performance.now() - t0;
clearInterval(sampler);
const maxRss = process.resourceUsage().maxRSS * 1024; // KiB on Linux
const run: DesignRun = {
  design,
  ...(variantName ? { variant: variantName } : {}),
  results: results.sort((a, b) => a.id.localeCompare(b.id)),
  peakRssMb: Math.max(peakRss, maxRss) / 2 ** 20,
  privacy: privacyNote,
  wallMs,
  tools: toolStats,
};
console.log(`BENCH_RESULT ${JSON.stringify(run)}`);
db.close();
process.exit(0);

/**
 * The privacy firewall (`createPrivacy` from src/privacy/agent-privacy.ts) with Chinook's customer
 * values indexed. Loaded by path so the bench still runs, without it, where it is absent.
 */
async function loadPrivacy(
  values: SensitiveValue[],
): Promise<(DesignContext["privacy"] & { source: string }) | undefined> {
  const rel = "../../src/privacy/agent-privacy.ts";
  if (!existsSync(fileURLToPath(new URL(rel, import.meta.url)))) return undefined;
  const mod: Record<string, any> = await import(new URL(rel.replace(/\.ts$/, ".js"), import.meta.url).href);
  if (typeof mod.createPrivacy !== "function") return undefined;
  const privacy = mod.createPrivacy({ sensitiveValues: values });
  await privacy.ready?.();
  // As `flm serve` does at startup: the NER lexicon is loaded before the first question, not in it.
  privacy.warmUp?.();
  const guarded = typeof privacy.cloudFetch === "function";
  return {
    privacy: privacy as AgentPrivacy,
    plannerFetch: guarded ? privacy.cloudFetch() : createEgressTap(),
    source: `on (createPrivacy from src/privacy/agent-privacy.ts, ${values.length} customer values indexed${guarded ? ", egress guard on the planner's fetch" : ""})`,
  };
}
