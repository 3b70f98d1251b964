import type { RunRecord } from "./run-record.js";

/** Strings at most this long (in JSON bytes) are never cut: ids, codes, hosts, short args. */
const KEEP_BYTES = 256;
/** Root fields that identify the run; never cut whatever their size. */
const IDENTITY = new Set(["id", "startedAt", "userId", "agent", "status"]);
const MARKER_BYTES = 64;

export interface CappedRecord {
  /** The stored form (JSON) and its size in bytes. */
  json: string;
  bytes: number;
  /** Set when something was cut; `json` then also carries `truncated: { originalBytes }`. */
  originalBytes?: number;
}

/**
 * Fits a record into `maxBytes` of JSON. Long strings (prompts, egress bodies, the answer, long
 * arguments) are cut fairly: every string above a common level is cut down to it and ends with a
 * visible marker, so a huge egress body cannot crowd out the prompt. Egress records keep their
 * original `bytes` and `sha256`. If cutting strings is not enough, argument objects and egress
 * bodies are dropped, and last the plan and steps. The input is never modified.
 *
 * Cost: two `JSON.stringify` passes and a scan of each long string (a 732 KB trace takes a few
 * milliseconds), with no deep copy.
 */
export function capRecord(record: RunRecord, maxBytes: number): CappedRecord {
  const json = JSON.stringify(record);
  const bytes = Buffer.byteLength(json);
  if (bytes <= maxBytes) return { json, bytes };
  const marked: RunRecord = { ...record, truncated: { originalBytes: bytes } };
  const leaves = collectLongStrings(marked);
  let overshoot = bytes - maxBytes + 32;
  for (let round = 0; round < 4; round++) {
    const cuts = planCuts(leaves, overshoot);
    const out = JSON.stringify(marked, function (this: unknown, key: string, value: unknown) {
      if (typeof value !== "string" || value.length * 6 + 2 <= KEEP_BYTES) return value;
      if (this === marked && IDENTITY.has(key)) return value;
      return cuts.get(value) ?? value;
    });
    const outBytes = Buffer.byteLength(out);
    if (outBytes <= maxBytes) return { json: out, bytes: outBytes, originalBytes: bytes };
    overshoot += outBytes - maxBytes + 64;
  }
  return dropStructure(marked, maxBytes, bytes);
}

interface Leaf {
  value: string;
  jsonBytes: number;
}

/** Every string of the record long enough to be cut, with its size once JSON-encoded. */
function collectLongStrings(root: RunRecord): Leaf[] {
  const out: Leaf[] = [];
  const seen = new Set<string>();
  // An explicit stack: plan arguments may nest deeply.
  const stack: Array<{ value: unknown; atRoot: boolean; key?: string }> = [{ value: root, atRoot: false }];
  while (stack.length > 0) {
    const { value, atRoot, key } = stack.pop()!;
    if (typeof value === "string") {
      if (atRoot && key !== undefined && IDENTITY.has(key)) continue;
      if (value.length * 6 + 2 <= KEEP_BYTES || seen.has(value)) continue;
      const jsonBytes = jsonStringBytes(value);
      if (jsonBytes > KEEP_BYTES) {
        seen.add(value);
        out.push({ value, jsonBytes });
      }
    } else if (Array.isArray(value)) {
      for (const v of value) stack.push({ value: v, atRoot: false });
    } else if (value && typeof value === "object") {
      const isRoot = value === root;
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, atRoot: isRoot, key: k });
    }
  }
  return out;
}

/** Bytes of `JSON.stringify(text)` (V8's serializer is faster than counting escapes in JS). */
function jsonStringBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/** The cut version of each string above the level that saves about `overshoot` bytes. */
function planCuts(leaves: Leaf[], overshoot: number): Map<string, string> {
  const saved = (level: number) => {
    let total = 0;
    for (const l of leaves) if (l.jsonBytes > level) total += l.jsonBytes - level - MARKER_BYTES;
    return total;
  };
  // The highest level that saves enough (binary search over a monotone function).
  let lo = KEEP_BYTES;
  let hi = leaves.reduce((m, l) => Math.max(m, l.jsonBytes), KEEP_BYTES);
  if (saved(lo) < overshoot) hi = lo;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (saved(mid) >= overshoot) lo = mid;
    else hi = mid - 1;
  }
  const cuts = new Map<string, string>();
  for (const leaf of leaves) {
    if (leaf.jsonBytes <= lo) continue;
    // JSON escaping and UTF-8 make bytes and characters differ; scale by this string's own ratio.
    const kept = sliceChars(leaf.value, Math.floor((leaf.value.length * lo) / leaf.jsonBytes));
    cuts.set(leaf.value, `${kept}…[cut by flm: kept ${kept.length} of ${leaf.value.length} characters]`);
  }
  return cuts;
}

/** Last resort when many small values make up the size: drop arguments and bodies, then plan and steps. */
function dropStructure(marked: RunRecord, maxBytes: number, originalBytes: number): CappedRecord {
  const copy = JSON.parse(JSON.stringify(marked)) as RunRecord;
  const measure = () => {
    const json = JSON.stringify(copy);
    return { json, bytes: Buffer.byteLength(json), originalBytes };
  };
  for (const step of [...(copy.trace.plan?.steps ?? []), ...copy.trace.steps]) step.args = { "[cut]": true };
  for (const e of copy.trace.egress) e.body = `[cut: ${e.bytes} bytes, sha256 ${e.sha256}]`;
  const short = (v: string | undefined) =>
    v !== undefined && v.length > 1024 ? `${sliceChars(v, 1024)}…[cut by flm]` : v;
  copy.prompt = short(copy.prompt);
  copy.answer = short(copy.answer);
  copy.trace.plannerPrompt = short(copy.trace.plannerPrompt);
  let out = measure();
  if (out.bytes <= maxBytes) return out;
  copy.trace = { ...copy.trace, plan: undefined, steps: [], context: undefined };
  delete copy.prompt;
  delete copy.answer;
  delete copy.trace.plannerPrompt;
  out = measure();
  return out;
}

/** The first `n` UTF-16 units, without splitting a surrogate pair. */
function sliceChars(text: string, n: number): string {
  if (n >= text.length) return text;
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}
