import { ConfigError, type ConfigIssue } from "./config-error.js";
import { formatPath } from "./key-path.js";

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
/** A `${` that does not start a well-formed reference: no closing brace, or not a variable name. */
const MALFORMED = /\$\{(?![A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\})([^}\s]*)/;

/** The variables a string refers to that are unset and have no default. */
export function unsetVariables(
  text: string,
  env: Record<string, string | undefined> = process.env,
): string[] {
  const names: string[] = [];
  for (const [, name, fallback] of text.matchAll(PATTERN))
    if ((env[name] === undefined || env[name] === "") && fallback === undefined) names.push(name);
  return names;
}

/** `${FLM_TOKEN` without its `}`: its own message, never a silent literal. */
function malformedReference(text: string): string | undefined {
  const m = MALFORMED.exec(text);
  if (!m) return undefined;
  const rest = text.slice(m.index);
  const close = rest.indexOf("}");
  if (close < 0)
    return `"\${${m[1]}" has no closing brace: write \${${m[1] || "NAME"}} (or \${${m[1] || "NAME"}:-default})`;
  return `"${rest.slice(0, close + 1)}" is not a variable reference: names are letters, digits and _ (not starting with a digit), e.g. \${FLM_TOKEN}`;
}

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
      const malformed = malformedReference(v);
      if (malformed) {
        issues.push({ path: formatPath(path), message: malformed });
        return v;
      }
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
  const syntax = issues.filter((i) => !i.message.startsWith("environment variable"));
  if (syntax.length) {
    throw new ConfigError("CONFIG_ENV_SYNTAX", syntax.map((i) => `${i.path}: ${i.message}`).join("; "), {
      issues: syntax,
      hint: "Environment references are ${NAME} or ${NAME:-default}; a literal $ needs no escaping unless followed by {.",
    });
  }
  if (issues.length) {
    throw new ConfigError("CONFIG_ENV_MISSING", issues.map((i) => `${i.path}: ${i.message}`).join("; "), {
      issues,
      hint: "Export the variables, or write ${NAME:-default} in the config.",
    });
  }
  return out;
}
