/**
 * Span-level precision/recall of the detectors on presidio-synth-v2 (`npm run eval:pii`).
 *
 * Matching rule: a predicted span is a true positive when it overlaps (>= 1 character) a gold span
 * of the same mapped type; a gold span is recalled when some predicted span of its type overlaps it.
 * Only the 11 gold types we map are scored; predictions overlapping a gold span of an unscored type
 * (TITLE, AGE, NRP, ZIP_CODE, DOMAIN_NAME, US_DRIVER_LICENSE) are ignored, not counted as errors.
 * "exact" recall additionally requires identical boundaries (after trimming whitespace/punctuation).
 *
 * Split: `--dev` scores the first half of the texts (the half rules were developed on), `--test` the
 * held-out second half; neither flag scores all texts. Also prints per-text detection latency and
 * the p50 for a ~1 KB prompt (all detectors incl. NER, after a warm-up so compromise is loaded).
 *
 * `--mode strict` scores strict mode instead (allow-list pseudonymization): its replacements are
 * mostly untyped (`<TERM_n>`), so it reports, per gold type, the share of gold spans whose letters
 * and digits were all replaced ("covered"), and the share of the other words that went out as they
 * were ("words kept"); the detectors' typed precision is the standard table's.
 *
 * Usage: npm run eval:pii -- [--dev|--test] [--mode strict] [path/to/presidio-synth-v2.json]
 */
import { readFileSync } from "node:fs";
import { defaultDetectors } from "../src/privacy/detectors/index.js";
import { PlaceholderVault } from "../src/privacy/placeholder-vault.js";
import { createPseudonymizer } from "../src/privacy/pseudonymizer.js";
import { createStrictPseudonymizer } from "../src/privacy/strict/strict-pseudonymizer.js";
import { sharedFile } from "../test/helpers/shared-dir.js";

const TO_GOLD: Record<string, string> = {
  PERSON: "PERSON",
  STREET_ADDRESS: "STREET_ADDRESS",
  LOCATION: "GPE",
  ORGANIZATION: "ORGANIZATION",
  CREDIT_CARD: "CREDIT_CARD",
  DATE_TIME: "DATE_TIME",
  DATE_OF_BIRTH: "DATE_TIME",
  PHONE: "PHONE_NUMBER",
  EMAIL: "EMAIL_ADDRESS",
  IBAN: "IBAN_CODE",
  US_SSN: "US_SSN",
  IP_ADDRESS: "IP_ADDRESS",
};
const SCORED = [
  "PERSON",
  "STREET_ADDRESS",
  "GPE",
  "ORGANIZATION",
  "CREDIT_CARD",
  "DATE_TIME",
  "PHONE_NUMBER",
  "EMAIL_ADDRESS",
  "IBAN_CODE",
  "US_SSN",
  "IP_ADDRESS",
];

interface Gold {
  entity_type: string;
  entity_value: string;
  start_position: number;
  end_position: number;
}

const args = process.argv.slice(2);
const split = args.includes("--dev") ? "dev" : args.includes("--test") ? "test" : "full";
const modeAt = args.indexOf("--mode");
const strictMode = modeAt >= 0 && args[modeAt + 1] === "strict";
const file =
  args.find((a, i) => !a.startsWith("--") && i !== modeAt + 1) ??
  sharedFile("data", "presidio-synth-v2.json");
if (!file) {
  console.error("presidio-synth-v2.json not found: pass its path, or set FLM_SHARED_DIR.");
  process.exit(1);
}
const all = JSON.parse(readFileSync(file, "utf8")) as Array<{ full_text: string; spans: Gold[] }>;
const half = Math.floor(all.length / 2);
const data = split === "dev" ? all.slice(0, half) : split === "test" ? all.slice(half) : all;
const pseudonymizer = createPseudonymizer({ detectors: defaultDetectors() });
pseudonymizer.detect("warm-up: Maria Keller lives in Berlin."); // loads compromise outside the timings
if (strictMode) {
  scoreStrict();
  process.exit(0);
}

/** Strict mode: gold spans fully replaced, per type, and the other words kept. */
function scoreStrict(): void {
  const strict = createStrictPseudonymizer();
  const covered = new Map<string, { n: number; covered: number }>();
  let words = 0;
  let kept = 0;
  const times: number[] = [];
  for (const { full_text: text, spans } of data) {
    const t0 = performance.now();
    const replaced = strict.pseudonymize(text, new PlaceholderVault()).spans;
    times.push(performance.now() - t0);
    const mask = new Uint8Array(text.length);
    for (const r of replaced) mask.fill(1, r.start, r.end);
    const inGold = new Uint8Array(text.length);
    for (const g of spans) {
      inGold.fill(1, g.start_position, g.end_position);
      const c = covered.get(g.entity_type) ?? { n: 0, covered: 0 };
      covered.set(g.entity_type, c);
      c.n++;
      let all = true;
      for (let i = g.start_position; i < g.end_position; i++)
        if (/[\p{L}\p{N}]/u.test(text[i]!) && !mask[i]) all = false;
      if (all) c.covered++;
    }
    for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      if (inGold[m.index!]) continue;
      words++;
      if (!mask[m.index!]) kept++;
    }
  }
  const f = (a: number, b: number) => (b ? (a / b).toFixed(3) : "-");
  console.log("| gold type | gold | covered (all letters and digits replaced) |\n|---|---:|---:|");
  let n = 0;
  let c = 0;
  for (const [type, v] of [...covered].sort((a, b) => b[1].n - a[1].n)) {
    console.log(`| ${type} | ${v.n} | ${f(v.covered, v.n)} |`);
    n += v.n;
    c += v.covered;
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`| **all** | ${n} | **${f(c, n)}** |`);
  console.log(
    `\nstrict mode, split ${split} (${data.length} texts): other words kept ${f(kept, words)}; p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms per text`,
  );
}

const stats = new Map<string, { tp: number; fp: number; goldHit: number; gold: number; exact: number }>();
const stat = (t: string) => {
  let s = stats.get(t);
  if (!s) {
    s = { tp: 0, fp: 0, goldHit: 0, gold: 0, exact: 0 };
    stats.set(t, s);
  }
  return s;
};
const trim = (text: string, s: number, e: number): string =>
  text.slice(s, e).replace(/^[\s.,;:]+|[\s.,;:]+$/g, "");
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;
const misses: string[] = [];
const falsePositives: string[] = [];
const latencies: number[] = [];

for (const { full_text: text, spans } of data) {
  const gold = spans.map((g) => ({ type: g.entity_type, start: g.start_position, end: g.end_position }));
  const t0 = performance.now();
  const detected = pseudonymizer.detect(text);
  latencies.push(performance.now() - t0);
  const predicted = detected.map((p) => ({ ...p, type: TO_GOLD[p.type] ?? p.type }));
  for (const g of gold) {
    if (!SCORED.includes(g.type)) continue;
    const s = stat(g.type);
    s.gold++;
    const hit = predicted.filter((p) => p.type === g.type && overlaps(p, g));
    if (hit.length > 0) s.goldHit++;
    else
      misses.push(
        `${g.type}: ${JSON.stringify(text.slice(g.start, g.end))} in ${JSON.stringify(text.slice(0, 90))}`,
      );
    if (hit.some((p) => trim(text, p.start, p.end) === trim(text, g.start, g.end))) s.exact++;
  }
  for (const p of predicted) {
    if (gold.some((g) => g.type === p.type && overlaps(p, g))) stat(p.type).tp++;
    else if (gold.some((g) => !SCORED.includes(g.type) && overlaps(p, g))) continue;
    else {
      stat(p.type).fp++;
      falsePositives.push(`${p.type}: ${JSON.stringify(p.value)}`);
    }
  }
}

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
// ~1 KB prompts made of consecutive texts, timed 200 times each round-robin.
const kbPrompts: string[] = [];
for (let i = 0, cur = ""; i < data.length && kbPrompts.length < 20; i++) {
  cur += `${data[i]!.full_text}\n`;
  if (cur.length >= 1024) {
    kbPrompts.push(cur.slice(0, 1024));
    cur = "";
  }
}
const kbTimes: number[] = [];
for (let r = 0; r < 10; r++)
  for (const p of kbPrompts) {
    const t0 = performance.now();
    pseudonymizer.detect(p);
    kbTimes.push(performance.now() - t0);
  }

const f = (x: number) => (Number.isNaN(x) ? "  -  " : x.toFixed(3));
const rows: string[] = [];
rows.push("| type | gold | precision | recall | exact-boundary recall |");
rows.push("|---|---:|---:|---:|---:|");
const total = { tp: 0, fp: 0, goldHit: 0, gold: 0, exact: 0 };
for (const type of [...SCORED, ...[...stats.keys()].filter((t) => !SCORED.includes(t))]) {
  const s = stats.get(type) ?? { tp: 0, fp: 0, goldHit: 0, gold: 0, exact: 0 };
  for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += s[k];
  rows.push(
    `| ${type} | ${s.gold} | ${f(s.tp / (s.tp + s.fp))} | ${f(s.goldHit / s.gold)} | ${f(s.exact / s.gold)} |`,
  );
}
rows.push(
  `| **overall** | ${total.gold} | **${f(total.tp / (total.tp + total.fp))}** | **${f(total.goldHit / total.gold)}** | ${f(total.exact / total.gold)} |`,
);
console.log(rows.join("\n"));
const ms = (x: number) => x.toFixed(2);
console.log(
  `\nsplit: ${split} (${data.length} of ${all.length} texts)` +
    `\nlatency per text (all detectors incl. NER): p50 ${ms(quantile(latencies, 0.5))} ms, p99 ${ms(quantile(latencies, 0.99))} ms` +
    `\nlatency per ~1 KB prompt: p50 ${ms(quantile(kbTimes, 0.5))} ms, p99 ${ms(quantile(kbTimes, 0.99))} ms`,
);
if (process.env.EVAL_VERBOSE) {
  console.log("\nMisses:\n" + misses.slice(0, Number(process.env.EVAL_VERBOSE)).join("\n"));
  console.log("\nFalse positives:\n" + falsePositives.slice(0, Number(process.env.EVAL_VERBOSE)).join("\n"));
}
