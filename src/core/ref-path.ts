/**
 * Paths into a step's output, as planners write them: `rows[0].customer_id`, `items[*].id`,
 * `total`, `["odd key"]`. `[*]` maps over an array, so a dependent step can take all ids.
 */
export type PathSegment = { key: string } | { index: number } | { all: true };

const TOKEN = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\*\]|\["((?:[^"\\]|\\.)*)"\]/y;

export function parseRefPath(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < path.length) {
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(path);
    if (!m || m.index !== at) return undefined;
    if (at === 0 && m[0].startsWith(".")) return undefined;
    if (m[1] !== undefined) segments.push({ key: m[1] });
    else if (m[2] !== undefined) segments.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) segments.push({ key: JSON.parse(`"${m[3]}"`) });
    else segments.push({ all: true });
    at = TOKEN.lastIndex;
  }
  return segments;
}

export const MISSING = Symbol("missing");

/** Resolves a parsed path; returns MISSING when any segment is absent. */
export function resolveRefPath(value: unknown, segments: PathSegment[]): unknown {
  let current: unknown = value;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if ("all" in seg) {
      if (!Array.isArray(current)) return MISSING;
      const rest = segments.slice(i + 1);
      const mapped = current.map((item) => resolveRefPath(item, rest)).filter((v) => v !== MISSING);
      return mapped;
    }
    if ("index" in seg) {
      if (!Array.isArray(current) || seg.index >= current.length) return MISSING;
      current = current[seg.index];
      continue;
    }
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, seg.key)) return MISSING;
    current = (current as Record<string, unknown>)[seg.key];
  }
  return current;
}
