// Same rule as defineTool: the strictest one every provider's function calling accepts.
const MAX = 64;

/**
 * Turns an arbitrary name (`get-sum`, `GET /orders/{id}`, `files.read`) into a valid tool name:
 * letters, digits, `_`, `-`; starts with a letter; at most 64 characters.
 */
export function sanitizeToolName(raw: string, prefix?: string): string {
  const joined = prefix ? `${prefix}_${raw}` : raw;
  let name = joined
    .replace(/[^a-zA-Z0-9_-]+/g, "_")
    .replace(/_{2,}/g, "_")
    .replace(/^[^a-zA-Z]+/, "")
    .replace(/[_-]+$/, "");
  if (!name) name = "tool";
  if (name.length > MAX) name = name.slice(0, MAX).replace(/[_-]+$/, "");
  return name;
}

/**
 * Makes names unique within one source: a second `get_x` becomes `get_x_2`, still within 64
 * characters, so two raw names that sanitise alike never shadow each other.
 */
export function uniqueToolNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let n = 2; seen.has(candidate); n++) {
      const suffix = `_${n}`;
      candidate = name.slice(0, MAX - suffix.length) + suffix;
    }
    seen.add(candidate);
    return candidate;
  });
}
