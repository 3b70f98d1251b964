/**
 * Regenerates docs/reference/ from the code: the configuration's JSON Schema and reference, the
 * CLI reference, the error codes.
 *
 *   npm run docs:gen             write every generated file
 *   npm run docs:gen -- --check  write nothing; exit 1 and name the stale files
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedFiles } from "./generated-files.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const check = process.argv.includes("--check");
const stale: string[] = [];
for (const file of generatedFiles()) {
  const path = join(root, file.path);
  const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  if (current === file.content) continue;
  stale.push(file.path);
  if (check) continue;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.content);
}
if (check && stale.length > 0) {
  console.error(`Stale generated docs (run npm run docs:gen): ${stale.join(", ")}`);
  process.exit(1);
}
console.log(stale.length === 0 ? "docs/reference is up to date" : `wrote ${stale.join(", ")}`);
