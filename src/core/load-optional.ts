import { FlmError } from "../errors/flm-error.js";

/**
 * A feature needs a package that is an optional dependency of flm and is not installed
 * (`npm install --omit=optional`, or a slim image). Says which package and how to get it.
 */
export class DependencyMissingError extends FlmError {
  static override readonly marker: string = "federated-lm.DependencyMissingError";
  readonly packageName: string;
  constructor(packageName: string, feature: string, cause?: unknown) {
    super("DEPENDENCY_MISSING", `${feature} needs the package "${packageName}", which is not installed.`, {
      cause,
      hint: `Install it next to federated-lm: npm install ${packageName}`,
    });
    this.packageName = packageName;
  }
}

/** True when `error` is Node failing to find `packageName` itself (not a module inside it). */
function isPackageMissing(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown })?.code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const message = String((error as Error).message);
  return message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`);
}

/**
 * Imports an optional dependency on first use. `load` is a literal dynamic import of the package, so
 * the module keeps its types; a missing package becomes DependencyMissingError.
 */
export async function loadOptional<T>(
  packageName: string,
  feature: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isPackageMissing(error, packageName)) throw new DependencyMissingError(packageName, feature, error);
    throw error;
  }
}

/** The optional dependencies, each loaded where it is used (never at import time). */
export const loadPg = () =>
  loadOptional("pg", "PostgreSQL (SQL sources, the audit store, document stores)", () => import("pg"));
export const loadMongodb = () => loadOptional("mongodb", "MongoDB sources", () => import("mongodb"));
export const loadLlamaCpp = () =>
  loadOptional(
    "node-llama-cpp",
    "In-process models (llama:, .gguf, provider llama) and `flm pull`",
    () => import("node-llama-cpp"),
  );
