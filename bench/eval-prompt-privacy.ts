/**
 * Prompt privacy on realistic prompts (`npm run eval:prompts`): how much of what identifies a user
 * reaches the cloud planner, and how much of the rest of the prompt it still gets, per mode.
 *
 * Data: `bench/prompt-privacy/` (360 prompts from 120 templates in 17 languages, private units
 * annotated with span and kind; even templates = development half, odd = held-out half).
 *
 * Definitions (all positions are UTF-16 offsets into the original prompt):
 * - a unit's private characters are its letters and digits, except those of the connector words
 *   `of the and & de du la le van von der di da y` inside a multi-word unit;
 * - a unit LEAKS when at least one private character is not inside a replaced span (so a name
 *   replaced in its first mention and not in its second leaks, and so does "Keller" left beside
 *   "<PERSON_1>");
 * - unit leak rate = leaked units / units; prompt leak rate = prompts with at least one leaked
 *   unit / prompts;
 * - utility = share of non-private words (Intl.Segmenter word segments, so CJK text is counted in
 *   words, outside every unit) that reach the cloud unchanged (no character replaced).
 *
 * Usage: npm run eval:prompts -- [--split dev|test|all] [--modes standard,strict] [--misses N]
 *   (`--misses` prints leaked units of the development half only: the held-out half is for
 *   reporting, its misses are never looked at.)
 */
import { buildDataset, type EvalPrompt, type Unit } from "./prompt-privacy/dataset.js";
import { type PrivacyMode, pseudonymizeForEval } from "./prompt-privacy/modes.js";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const splitArg = opt("split") ?? "both";
const modes = (opt("modes") ?? "standard-structured,standard,strict").split(",") as PrivacyMode[];
const missesN = Number(opt("misses") ?? 0);
const examplesN = Number(opt("examples") ?? 4);

const CONNECTORS = new Set([
  "of",
  "the",
  "and",
  "de",
  "du",
  "la",
  "le",
  "van",
  "von",
  "der",
  "di",
  "da",
  "y",
]);
const segmenter = new Intl.Segmenter("und", { granularity: "word" });

/** Positions of a unit's private characters. */
export function privatePositions(text: string, unit: Unit): number[] {
  const out: number[] = [];
  const value = text.slice(unit.start, unit.end);
  const multi = /\s/.test(value);
  for (const m of value.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    if (multi && CONNECTORS.has(m[0].toLowerCase())) continue;
    for (let i = 0; i < m[0].length; i++) out.push(unit.start + m.index! + i);
  }
  return out;
}

interface Result {
  units: number;
  leaked: number;
  prompts: number;
  leakedPrompts: number;
  words: number;
  kept: number;
  byKind: Map<string, { n: number; leaked: number }>;
  byLang: Map<string, { n: number; leaked: number; words: number; kept: number }>;
  times: number[];
  misses: string[];
  examples: string[];
}

function evaluate(mode: PrivacyMode, prompts: EvalPrompt[]): Result {
  const r: Result = {
    units: 0,
    leaked: 0,
    prompts: 0,
    leakedPrompts: 0,
    words: 0,
    kept: 0,
    byKind: new Map(),
    byLang: new Map(),
    times: [],
    misses: [],
    examples: [],
  };
  for (const p of prompts) {
    const t0 = performance.now();
    const { text: out, replaced } = pseudonymizeForEval(mode, p.text);
    r.times.push(performance.now() - t0);
    const covered = new Uint8Array(p.text.length);
    for (const s of replaced) covered.fill(1, s.start, s.end);
    const lang = r.byLang.get(p.lang) ?? { n: 0, leaked: 0, words: 0, kept: 0 };
    r.byLang.set(p.lang, lang);
    let promptLeaked = false;
    for (const u of p.units) {
      const leaked = privatePositions(p.text, u).some((i) => covered[i] === 0);
      const k = r.byKind.get(u.kind) ?? { n: 0, leaked: 0 };
      r.byKind.set(u.kind, k);
      k.n++;
      r.units++;
      lang.n++;
      if (leaked) {
        k.leaked++;
        r.leaked++;
        lang.leaked++;
        promptLeaked = true;
        if (p.split === "dev")
          r.misses.push(`${u.kind} ${JSON.stringify(u.value)} in ${JSON.stringify(out)}`);
      }
    }
    r.prompts++;
    if (promptLeaked) r.leakedPrompts++;
    for (const seg of segmenter.segment(p.text)) {
      if (!seg.isWordLike) continue;
      const start = seg.index;
      const end = start + seg.segment.length;
      if (p.units.some((u) => start < u.end && u.start < end)) continue;
      r.words++;
      lang.words++;
      let kept = true;
      for (let i = start; i < end; i++) if (covered[i]) kept = false;
      if (kept) {
        r.kept++;
        lang.kept++;
      }
    }
    if (r.examples.length < examplesN && p.id.endsWith("-0") && Number(p.id.split("-")[1]) % 9 < 2)
      r.examples.push(`  ${p.text}\n→ ${out}`);
  }
  return r;
}

const pct = (a: number, b: number) => (b === 0 ? "-" : `${((100 * a) / b).toFixed(1)} %`);
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] ?? NaN;

const data = buildDataset();
const splits: Array<[string, EvalPrompt[]]> =
  splitArg === "both"
    ? [
        ["dev", data.filter((p) => p.split === "dev")],
        ["held-out", data.filter((p) => p.split === "test")],
      ]
    : [
        [
          splitArg,
          splitArg === "all" ? data : data.filter((p) => p.split === (splitArg === "dev" ? "dev" : "test")),
        ],
      ];

// Load word lists and compromise outside the timings.
for (const mode of modes) pseudonymizeForEval(mode, "warm-up: Maria Keller lives in Berlin.");

console.log(
  `prompt-privacy eval: ${data.length} prompts, ${data.reduce((a, p) => a + p.units.length, 0)} private units\n`,
);
console.log(
  "| mode | split | prompts | units | unit leak | prompt leak | utility (words kept) | p50 ms / prompt |",
);
console.log("|---|---|---:|---:|---:|---:|---:|---:|");
const results = new Map<string, Result>();
for (const mode of modes)
  for (const [name, prompts] of splits) {
    const r = evaluate(mode, prompts);
    results.set(`${mode}/${name}`, r);
    console.log(
      `| ${mode} | ${name} | ${r.prompts} | ${r.units} | ${pct(r.leaked, r.units)} | ${pct(r.leakedPrompts, r.prompts)} | ${pct(r.kept, r.words)} | ${quantile(r.times, 0.5).toFixed(2)} |`,
    );
  }

const kinds = [...new Set(data.flatMap((p) => p.units.map((u) => u.kind)))].sort();
console.log(`\nUnit leak by kind (${splits.map((s) => s[0]).join(" + ")}):\n`);
console.log(`| kind | units | ${modes.join(" | ")} |`);
console.log(`|---|---:|${modes.map(() => "---:").join("|")}|`);
for (const kind of kinds) {
  const cells = modes.map((m) => {
    let n = 0;
    let l = 0;
    for (const [name] of splits) {
      const k = results.get(`${m}/${name}`)!.byKind.get(kind);
      n += k?.n ?? 0;
      l += k?.leaked ?? 0;
    }
    return { n, l };
  });
  console.log(`| ${kind} | ${cells[0]!.n} | ${cells.map((c) => pct(c.l, c.n)).join(" | ")} |`);
}
const langs = [...new Set(data.map((p) => p.lang))];
console.log(`\nUnit leak / utility by language:\n`);
console.log(`| lang | units | ${modes.join(" | ")} |`);
console.log(`|---|---:|${modes.map(() => "---:").join("|")}|`);
for (const lang of langs) {
  const cells = modes.map((m) => {
    const s = { n: 0, leaked: 0, words: 0, kept: 0 };
    for (const [name] of splits) {
      const l = results.get(`${m}/${name}`)!.byLang.get(lang);
      if (!l) continue;
      s.n += l.n;
      s.leaked += l.leaked;
      s.words += l.words;
      s.kept += l.kept;
    }
    return s;
  });
  console.log(
    `| ${lang} | ${cells[0]!.n} | ${cells.map((c) => `${pct(c.leaked, c.n)} / ${pct(c.kept, c.words)}`).join(" | ")} |`,
  );
}

console.log("\nWhat the planner sees (development half):");
for (const mode of modes) {
  const r = results.get(`${mode}/${splits[0]![0]}`)!;
  console.log(`\n[${mode}]\n${r.examples.join("\n")}`);
}
if (missesN > 0) {
  for (const mode of modes) {
    const dev = results.get(`${mode}/dev`);
    if (!dev) continue;
    console.log(`\nLeaks, development half, ${mode} (first ${missesN}):`);
    console.log(dev.misses.slice(0, missesN).join("\n"));
  }
}
