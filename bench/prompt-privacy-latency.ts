/**
 * Pseudonymization latency per mode for ~1 KB prompts (`npm run bench:prompt-privacy`): the time
 * `pseudonymize` takes (all detectors incl. NER, mention propagation and, in strict mode, the
 * allow-list), p50 / p90 / p99 over prompts built from the eval set (English and mixed languages),
 * after a warm-up (word lists and compromise loaded). `--detectors` also prints the p50 of each
 * detector alone on the same prompts. On a loaded machine the wall time includes waiting for a
 * core; the CPU time of each call (`process.cpuUsage`, this process's threads) and the fastest of
 * the rounds per prompt are also printed: both estimate the wall time on an idle machine.
 */
import { defaultDetectors } from "../src/privacy/detectors/index.js";
import { PlaceholderVault } from "../src/privacy/placeholder-vault.js";
import { createPseudonymizer } from "../src/privacy/pseudonymizer.js";
import { createStrictPseudonymizer } from "../src/privacy/strict/strict-pseudonymizer.js";
import { buildDataset } from "./prompt-privacy/dataset.js";

const rounds = Number(process.argv.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 20);
const data = buildDataset();
const make = (texts: string[]) => {
  const out: string[] = [];
  let cur = "";
  for (const t of texts) {
    cur += `${t}\n`;
    if (cur.length >= 1024) {
      out.push(cur.slice(0, 1024));
      cur = "";
    }
  }
  return out;
};
const english = make(data.filter((p) => p.lang === "en").map((p) => p.text));
const mixed = make(data.map((p) => p.text));

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
const fmt = (xs: number[]) =>
  `${q(xs, 0.5).toFixed(2)} / ${q(xs, 0.9).toFixed(2)} / ${q(xs, 0.99).toFixed(2)}`;

const modes = {
  standard: createPseudonymizer({ detectors: defaultDetectors() }),
  strict: createStrictPseudonymizer(),
};
for (const p of Object.values(modes)) p.pseudonymize(mixed.join("\n"), new PlaceholderVault());

console.log(`1 KB prompts: ${english.length} English, ${mixed.length} mixed-language; ${rounds} rounds\n`);
console.log("| mode | prompts | wall p50 / p90 / p99 ms | CPU p50 / p90 ms | fastest round p50 ms |");
console.log("|---|---|---:|---:|---:|");
for (const [name, p] of Object.entries(modes))
  for (const [set, prompts] of [
    ["English", english],
    ["mixed languages", mixed],
  ] as const) {
    const times: number[] = [];
    const cpu: number[] = [];
    const fastest = prompts.map(() => Number.POSITIVE_INFINITY);
    for (let r = 0; r < rounds; r++)
      prompts.forEach((text, i) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        p.pseudonymize(text, new PlaceholderVault());
        const ms = performance.now() - t0;
        const c = process.cpuUsage(c0);
        times.push(ms);
        cpu.push((c.user + c.system) / 1000);
        fastest[i] = Math.min(fastest[i]!, ms);
      });
    console.log(
      `| ${name} | ${set} | ${fmt(times)} | ${q(cpu, 0.5).toFixed(2)} / ${q(cpu, 0.9).toFixed(2)} | ${q(fastest, 0.5).toFixed(2)} |`,
    );
  }

if (process.argv.includes("--detectors")) {
  console.log("\n| detector | p50 ms (mixed 1 KB) |\n|---|---:|");
  for (const d of defaultDetectors()) {
    const times: number[] = [];
    for (let r = 0; r < rounds; r++)
      for (const text of mixed) {
        const t0 = performance.now();
        d.detect(text);
        times.push(performance.now() - t0);
      }
    console.log(`| ${d.name} | ${q(times, 0.5).toFixed(3)} |`);
  }
}
