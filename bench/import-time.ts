/**
 * How long importing the package costs a user: a fresh Node process per sample imports one entry
 * from dist/ (build first: npm run build) and reports the milliseconds `await import()` took.
 * Prints median and p90 over the samples for the root entry and each subpath export.
 *
 *   npx tsx bench/import-time.ts [--samples 15] [entry ...]
 *
 * Entries are package subpaths (".", "./sources/sql", ...), files under dist/, or absolute paths
 * (e.g. an older build, for before/after); default: every export in package.json. Samples are
 * taken round-robin across the entries, so machine load falls on all of them alike.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, { import: string } | string>;
};
const args = process.argv.slice(2);
const samplesAt = args.indexOf("--samples");
const samples = samplesAt >= 0 ? Number(args[samplesAt + 1]) : 15;
const named = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--samples");
const entries = named.length ? named : Object.keys(pkg.exports).filter((e) => !e.endsWith(".json"));

function fileOf(entry: string): string {
  if (entry.startsWith("/")) return entry;
  if (entry.startsWith("dist/")) return join(root, entry);
  const target = pkg.exports[entry];
  if (!target) throw new Error(`no export "${entry}" in package.json`);
  return join(root, typeof target === "string" ? target : target.import);
}

function once(file: string): number {
  const code = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" }));
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

console.log(`import time, ${samples} fresh processes each (node ${process.version}); ms`);
console.log("entry".padEnd(40), "median".padStart(8), "p90".padStart(8));
const files = entries.map(fileOf);
for (const file of files) once(file); // warm the file-system cache
const times = files.map(() => [] as number[]);
for (let i = 0; i < samples; i++) {
  for (const [k, file] of files.entries()) times[k]!.push(once(file));
}
entries.forEach((entry, k) => {
  const sorted = times[k]!.sort((a, b) => a - b);
  console.log(
    entry.padEnd(40),
    quantile(sorted, 0.5).toFixed(1).padStart(8),
    quantile(sorted, 0.9).toFixed(1).padStart(8),
  );
});
