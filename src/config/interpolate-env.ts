import { ConfigError, type ConfigIssue } from "./config-error.js";
import { formatPath } from "./key-path.js";

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed config. A variable that is
 * unset (and has no default) is reported by the key path that used it, all at once.
 */
export function interpolateEnv<T>(
  value: T,
  env: Record<string, string | undefined> = process.env,
  /** Receives each substituted value with its key path (to collect secrets for redaction). */
  onValue?: (path: string, value: string) => void,
): T {
  const issues: ConfigIssue[] = [];
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === "string") {
      return v.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
        const found = env[name];
        if (found !== undefined && found !== "") {
          onValue?.(formatPath(path), found);
          return found;
        }
        if (fallback !== undefined) return fallback;
        issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
        return "";
      });
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, [...path, k])]));
    }
    return v;
  };
  const out = walk(value, []) as T;
  if (issues.length) {
    throw new ConfigError("CONFIG_ENV_MISSING", issues.map((i) => `${i.path}: ${i.message}`).join("; "), {
      issues,
      hint: "Export the variables, or write ${NAME:-default} in the config.",
    });
  }
  return out;
}
