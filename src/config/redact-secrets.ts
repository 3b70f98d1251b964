const SECRET_KEY =
  /(api[-_]?key|apikey|token|secret|password|passwd|authorization|bearer|credential|private[-_]?key)/i;
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]+:)([^@/\s]+)(@)/gi;
const BEARER = /(bearer\s+)[A-Za-z0-9._~+/=-]{6,}/gi;
const KEY_LIKE = /\b(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,})\b/g;

export const REDACTED = "***";

/**
 * Returns a copy safe to print: values under secret-looking keys (apiKey, token, password,
 * headers.Authorization...), passwords inside URLs, bearer tokens and provider key shapes are
 * replaced. Extra known secret values (e.g. the resolved env vars) are masked wherever they appear.
 */
export function redactSecrets<T>(value: T, knownSecrets: readonly string[] = []): T {
  const secrets = knownSecrets.filter((s) => s && s.length >= 4).sort((a, b) => b.length - a.length);
  const text = (s: string): string => {
    let out = s
      .replace(URL_PASSWORD, `$1${REDACTED}$3`)
      .replace(BEARER, `$1${REDACTED}`)
      .replace(KEY_LIKE, REDACTED);
    for (const secret of secrets) out = out.split(secret).join(REDACTED);
    return out;
  };
  const walk = (v: unknown, secretKey: boolean): unknown => {
    if (typeof v === "string") return secretKey ? REDACTED : text(v);
    if (Array.isArray(v)) return v.map((item) => walk(item, secretKey));
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v).map(([k, item]) => [
          k,
          walk(item, secretKey || (SECRET_KEY.test(k) && !/env$/i.test(k))),
        ]),
      );
    }
    return v;
  };
  return walk(value, false) as T;
}
