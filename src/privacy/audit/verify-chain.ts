/**
 * The verifier's pass over the records: every row in seq order, the hash chain, stored bodies,
 * legacy checkpoints and the Merkle root at every tree head (and at the sizes witnesses co-signed).
 */
import { type AuditRecord, computeRecordHash, GENESIS_HASH, sha256Hex } from "./audit-record.js";
import type { AuditStore } from "./audit-store.js";
import { Frontier, type Hash, leafHash } from "./merkle.js";
import type { AuditReport, Failure, VerifyAuditOptions } from "./verify-audit.js";
import type { Evidence } from "./verify-evidence.js";

export interface ScanResult {
  size: number;
  rootAt: Map<number, Hash>;
}

/**
 * One pass over every row in seq order: the chain, the bodies, and the Merkle root at every
 * checkpoint size (and at the sizes witnesses co-signed, collected in `rootAt`).
 */
export async function scanChain(
  store: AuditStore,
  evidence: Evidence,
  wanted: Set<number>,
  options: VerifyAuditOptions,
  report: AuditReport,
): Promise<ScanResult | Failure> {
  const batchSize = options.batchSize ?? 2000;
  const legacyBySize = groupBy(evidence.legacyValid, (c) => c.size);
  const headsBySize = groupBy(evidence.treeHeads, (t) => t.head.size);
  const rootAt = new Map<number, Hash>();
  const frontier = new Frontier();
  if (wanted.has(0)) rootAt.set(0, frontier.root());
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let lastGood = 0;
  let afterSeq: number | undefined;
  for (;;) {
    const batch = await store.list({ afterSeq, limit: batchSize });
    if (batch.length === 0) break;
    for (const r of batch) {
      report.records++;
      const bad = checkRecord(r, expectedSeq, prev);
      if (bad === "classify") {
        const found = await classifyBadRecord(store, r, prev, options.maxReorderSearch ?? 100_000, batchSize);
        return { ...found, firstBadSeq: r.seq };
      }
      if (bad) return bad;
      const legacy = legacyBySize.get(r.seq) ?? [];
      const mismatch = legacy.find((cp) => cp.headHash !== r.hash);
      if (mismatch) return rewritten(lastGood, r.seq, `signed checkpoint #${mismatch.id} (${mismatch.at})`);
      frontier.push(leafHash(Buffer.from(r.hash, "hex")));
      const heads = headsBySize.get(r.seq) ?? [];
      if (heads.length > 0 || wanted.has(r.seq)) {
        const root = frontier.root();
        if (wanted.has(r.seq)) rootAt.set(r.seq, root);
        const off = heads.find((t) => t.head.rootHash !== root.toString("base64"));
        if (off) return rewritten(lastGood, r.seq, `signed checkpoint #${off.head.id} (${off.head.at})`);
      }
      if (legacy.length + heads.length > 0) lastGood = r.seq;
      prev = r.hash;
      expectedSeq++;
    }
    afterSeq = batch[batch.length - 1].seq;
    if (!Number.isFinite(afterSeq)) break;
  }
  const size = expectedSeq - 1;
  const rows = await store.count();
  if (rows !== report.records) {
    return {
      problem: "unaccounted-rows",
      detail: `The records table holds ${rows} row(s) but ${report.records} could be read in sequence order: rows were inserted outside the chain.`,
    };
  }
  if (size > 0) {
    report.headHash = prev;
    report.rootHash = frontier.root().toString("base64");
  }
  return { size, rootAt };
}

/** A failure for this record, "classify" for a hash mismatch worth classifying, or undefined. */
function checkRecord(r: AuditRecord, expectedSeq: number, prev: string): Failure | "classify" | undefined {
  if (!Number.isSafeInteger(r.seq) || r.seq < 1) {
    return {
      problem: "foreign-row",
      detail: `A row with sequence number ${Number.isNaN(r.seq) ? "that is not an integer" : r.seq} is not part of the chain (records start at 1): it was inserted by hand.`,
    };
  }
  if (r.seq < expectedSeq) {
    return { problem: "duplicate", firstBadSeq: r.seq, detail: `Record ${r.seq} appears more than once.` };
  }
  if (r.seq > expectedSeq) {
    return {
      problem: "deleted",
      firstBadSeq: expectedSeq,
      detail: `Record ${expectedSeq} is missing (the next stored record is ${r.seq}).`,
    };
  }
  if (computeRecordHash(r.prevHash, r.seq, r) !== r.hash) return "classify";
  if (r.prevHash !== prev) {
    const bad = Math.max(1, r.seq - 1);
    return {
      problem: "edited",
      firstBadSeq: bad,
      detail:
        r.seq === 1
          ? "Record 1 does not start the chain (its previous hash is not the genesis hash)."
          : `Record ${r.seq} does not link to record ${bad}: record ${bad} was changed and re-hashed.`,
    };
  }
  if (r.body != null && sha256Hex(r.body) !== r.bodySha256) {
    return {
      problem: "edited",
      firstBadSeq: r.seq,
      detail: `Record ${r.seq}'s stored body does not match its bodySha256.`,
    };
  }
  return undefined;
}

function rewritten(lastGood: number, seq: number, what: string): Failure {
  return {
    problem: "checkpoint-mismatch",
    firstBadSeq: lastGood + 1,
    detail: `The chain at record ${seq} differs from ${what}: records ${lastGood + 1}..${seq} were rewritten.`,
  };
}

function groupBy<T>(items: T[], key: (t: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/**
 * The record at position `bad.seq` does not match its hash. If it hashes correctly under another
 * sequence number, it is a genuine record in the wrong place: a reorder if the record that belongs
 * here still exists somewhere, a deletion (with renumbering) if it does not. Otherwise: an edit.
 */
async function classifyBadRecord(
  store: AuditStore,
  bad: AuditRecord,
  expectedPrev: string,
  maxSearch: number,
  batchSize: number,
): Promise<Failure> {
  const i = bad.seq;
  const edited: Failure = {
    problem: "edited",
    detail: `Record ${i} does not match its hash: its content was edited.`,
  };
  // A record that links to the right predecessor can only belong at position i.
  if (bad.prevHash === expectedPrev) return edited;
  const { size } = await store.head();
  const upper = Math.max(size, i) + 1;
  let genuineSeq: number | undefined;
  for (let d = 1, tried = 0; tried < maxSearch && (i - d >= 1 || i + d <= upper); d++) {
    for (const s of [i - d, i + d]) {
      if (s < 1 || s > upper) continue;
      tried++;
      if (computeRecordHash(bad.prevHash, s, bad) === bad.hash) {
        genuineSeq = s;
        break;
      }
    }
    if (genuineSeq !== undefined) break;
  }
  if (genuineSeq === undefined) return edited;
  // Is the record that belongs at position i still somewhere in the table?
  let afterSeq = 0;
  for (;;) {
    const batch = await store.list({ afterSeq, limit: batchSize });
    if (batch.length === 0) break;
    for (const r of batch) {
      if (r.prevHash === expectedPrev && computeRecordHash(r.prevHash, i, r) === r.hash) {
        return {
          problem: "reordered",
          detail: `Record ${i} is stored at position ${r.seq} and record ${genuineSeq} at position ${i}: records were reordered.`,
        };
      }
    }
    afterSeq = batch[batch.length - 1].seq;
  }
  return {
    problem: "deleted",
    detail: `Record ${i} is gone and later records were renumbered (record ${genuineSeq} now sits at position ${i}).`,
  };
}
