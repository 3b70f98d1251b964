import type { RunRecord } from "./run-record.js";

/** Strings at most this long (in JSON bytes) are never cut: ids, codes, hosts, short args. */
const KEEP_BYTES = 256;
/** Root fields that identify the run; never cut whatever their size. */
const IDENTITY = new Set(["id", "startedAt", "userId", "agent", "status"]);
const MARKER_BYTES = 64;

export interface CappedRecord {
  record: RunRecord;
  json: string;
  bytes: number;
}

/**
 * Fits a record into `maxBytes` of JSON. Long strings (prompts, egress bodies, the answer, long
 * arguments) are cut fairly: every string above a common level is cut down to it and ends with a
 * visible marker, so a huge egress body cannot crowd out the prompt. Egress records keep their
 * original `bytes` and `sha256`. If cutting strings is not enough, argument objects and egress
 * bodies are dropped, and last the plan and steps. Linear in the record's size.
 */
export function capRecord(record: RunRecord, maxBytes: number): CappedRecord {
  let json = JSON.stringify(record);
  let bytes = Buffer.byteLength(json);
  if (bytes <= maxBytes) return { record, json, bytes };
  const originalBytes = bytes;
  const copy = JSON.parse(json) as RunRecord;
  copy.truncated = { originalBytes };
  const measure = () => {
    json = JSON.stringify(copy);
    bytes = Buffer.byteLength(json);
    return bytes <= maxBytes;
  };
  for (let round = 0; round < 4; round++) {
    cutStrings(copy, bytes - maxBytes);
    if (measure()) return { record: copy, json, bytes };
  }
  for (const step of [...(copy.trace.plan?.steps ?? []), ...copy.trace.steps]) step.args = { "[cut]": true };
  for (const e of copy.trace.egress) e.body = `[cut: ${e.bytes} bytes, sha256 ${e.sha256}]`;
  if (measure()) return { record: copy, json, bytes };
  copy.trace = { ...copy.trace, plan: undefined, steps: [], context: undefined };
  for (const key of ["prompt", "cloudPrompt", "answer"] as const) delete copy[key];
  measure();
  return { record: copy, json, bytes };
}

interface Leaf {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  value: string;
  jsonBytes: number;
}

/** Cuts the longest strings down to a common level so that about `overshoot` bytes go. */
function cutStrings(root: RunRecord, overshoot: number): void {
  const leaves: Leaf[] = [];
  collect(root, leaves);
  if (leaves.length === 0) return;
  const need = overshoot + 16;
  const saved = (level: number) => {
    let total = 0;
    for (const l of leaves) if (l.jsonBytes > level) total += l.jsonBytes - level - MARKER_BYTES;
    return total;
  };
  // The highest level that saves enough (binary search over a monotone function).
  let lo = KEEP_BYTES;
  let hi = Math.max(...leaves.map((l) => l.jsonBytes));
  if (saved(lo) < need) hi = lo;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (saved(mid) >= need) lo = mid;
    else hi = mid - 1;
  }
  const level = lo;
  for (const leaf of leaves) {
    if (leaf.jsonBytes <= level) continue;
    // JSON escaping and UTF-8 make bytes and characters differ; scale by this string's own ratio.
    const keepChars = Math.max(0, Math.floor((leaf.value.length * level) / leaf.jsonBytes));
    const kept = sliceChars(leaf.value, keepChars);
    const cut = `${kept}…[cut by flm: kept ${kept.length} of ${leaf.value.length} characters]`;
    (leaf.holder as Record<string | number, unknown>)[leaf.key] = cut;
  }
}

/** Long strings of the record, walked with an explicit stack (arguments may nest deeply). */
function collect(root: RunRecord, out: Leaf[]): void {
  const stack: Array<{ holder: Leaf["holder"]; key: string | number; value: unknown; atRoot: boolean }> = [];
  for (const [k, v] of Object.entries(root))
    stack.push({ holder: root as never, key: k, value: v, atRoot: true });
  while (stack.length > 0) {
    const { holder, key, value, atRoot } = stack.pop()!;
    if (typeof value === "string") {
      if (atRoot && IDENTITY.has(String(key))) continue;
      if (value.length * 6 + 2 <= KEEP_BYTES) continue; // cannot exceed KEEP_BYTES even fully escaped
      const jsonBytes = Buffer.byteLength(JSON.stringify(value));
      if (jsonBytes > KEEP_BYTES) out.push({ holder, key, value, jsonBytes });
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++)
        stack.push({ holder: value, key: i, value: value[i], atRoot: false });
    } else if (value && typeof value === "object") {
      const obj = value as Record<string, unknown>;
      for (const [k, v] of Object.entries(obj)) stack.push({ holder: obj, key: k, value: v, atRoot: false });
    }
  }
}

/** The first `n` UTF-16 units, without splitting a surrogate pair. */
function sliceChars(text: string, n: number): string {
  if (n >= text.length) return text;
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}
