/**
 * Caps a tool result at a size the context can use. Large arrays keep their first items and
 * say how many were cut; anything else is cut as text. The marker is always visible.
 */
export interface Truncated {
  output: unknown;
  truncated: boolean;
}

export function truncateOutput(output: unknown, maxChars: number): Truncated {
  const size = jsonLength(output);
  if (size <= maxChars) return { output, truncated: false };
  const array = largestArray(output);
  if (array) {
    const { holder, key, items } = array;
    let lo = 0;
    let hi = items.length;
    // Binary search the number of items that fit with the rest of the object.
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const candidate = withItems(holder, key, items.slice(0, mid), items.length);
      if (jsonLength(candidate.root ?? candidate.value) <= maxChars) lo = mid;
      else hi = mid - 1;
    }
    if (lo > 0) {
      const result = withItems(holder, key, items.slice(0, lo), items.length);
      return { output: result.root ?? result.value, truncated: true };
    }
  }
  const text = JSON.stringify(output) ?? String(output);
  const keep = Math.max(0, maxChars - 80);
  return {
    output: `${text.slice(0, keep)}… [truncated: ${text.length - keep} more characters not shown]`,
    truncated: true,
  };
}

function jsonLength(value: unknown): number {
  return (JSON.stringify(value) ?? "").length;
}

type ArrayAt = { holder: Record<string, unknown> | undefined; key: string | undefined; items: unknown[] };

function largestArray(output: unknown): ArrayAt | undefined {
  if (Array.isArray(output)) return { holder: undefined, key: undefined, items: output };
  if (typeof output !== "object" || output === null) return undefined;
  let best: ArrayAt | undefined;
  for (const [key, value] of Object.entries(output)) {
    if (Array.isArray(value) && (!best || value.length > best.items.length)) {
      best = { holder: output as Record<string, unknown>, key, items: value };
    }
  }
  return best;
}

function withItems(
  holder: Record<string, unknown> | undefined,
  key: string | undefined,
  kept: unknown[],
  total: number,
): { value: unknown; root?: unknown } {
  const note = `[truncated: showing ${kept.length} of ${total} items]`;
  if (!holder || key === undefined) return { value: [...kept, note] };
  return { value: kept, root: { ...holder, [key]: kept, _truncated: note } };
}
