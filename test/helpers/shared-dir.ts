import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the read-only shared material lives: `$FLM_SHARED_DIR` when set (only there, even if it
 * is empty or missing: that is how CI proves the suite passes on a fresh clone), else `../shared`
 * beside the project. Returns undefined when absent; tests then skip visibly or fall back to
 * fixtures they generate.
 */
export function sharedDir(): string | undefined {
  const fromEnv = process.env.FLM_SHARED_DIR;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const beside = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared");
  return existsSync(beside) ? beside : undefined;
}

export function sharedFile(...parts: string[]): string | undefined {
  const dir = sharedDir();
  if (!dir) return undefined;
  const file = join(dir, ...parts);
  return existsSync(file) ? file : undefined;
}
