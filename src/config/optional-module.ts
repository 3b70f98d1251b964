import { ConfigError } from "./config-error.js";

/**
 * Imports a part of flm that may be absent from this build (developed separately). The specifier is
 * relative to this file; a missing module or export becomes a clear FEATURE_UNAVAILABLE error.
 */
export async function optionalModule<T>(specifier: string, exportName: string, feature: string): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(new URL(specifier, import.meta.url).href)) as Record<string, unknown>;
  } catch (cause) {
    const code = (cause as { code?: string })?.code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "ERR_UNSUPPORTED_DIR_IMPORT") throw cause;
    throw unavailable(feature, cause);
  }
  const value = mod[exportName];
  if (value === undefined) throw unavailable(feature);
  return value as T;
}

function unavailable(feature: string, cause?: unknown): ConfigError {
  return new ConfigError("FEATURE_UNAVAILABLE", `${feature} is not available in this build.`, {
    cause,
    hint: "Remove that section from the config, or upgrade federated-lm.",
  });
}
