import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the read-only shared material lives: `$FLM_SHARED_DIR`, else `../shared` beside the
 * project. Returns undefined when absent; tests then fall back to fixtures they generate.
 */
export function sharedDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [process.env.FLM_SHARED_DIR, resolve(here, "../../../shared")].filter(
    Boolean,
  ) as string[];
  return candidates.find((dir) => existsSync(dir));
}

export function sharedFile(...parts: string[]): string | undefined {
  const dir = sharedDir();
  if (!dir) return undefined;
  const file = join(dir, ...parts);
  return existsSync(file) ? file : undefined;
}
