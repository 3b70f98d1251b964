import type { KeyObject } from "node:crypto";
import { type AuditRecord, computeRecordHash, GENESIS_HASH, sha256Hex } from "./audit-record.js";
import type { AuditStore } from "./audit-store.js";
import { type StoredCheckpoint, verifyCheckpointSignature } from "./checkpoint.js";
import { toPublicKey } from "./audit-key.js";

/**
 * What went wrong, at the first bad record:
 * - `edited`: a record's content no longer matches its hash (or its successor's link).
 * - `deleted`: a sequence number is missing (or records were renumbered over a gap).
 * - `reordered`: a genuine record sits at another record's position.
 * - `truncated`: a signed checkpoint covers more records than the log holds.
 * - `checkpoint-mismatch`: the chain is self-consistent but differs from a signed checkpoint
 *   (records rewritten and re-hashed wholesale); `firstBadSeq` is the earliest possibly-bad seq.
 * - `bad-signature`: a stored checkpoint was not signed by the given key.
 */
export type AuditProblem =
  | "edited"
  | "deleted"
  | "reordered"
  | "truncated"
  | "checkpoint-mismatch"
  | "bad-signature";

export interface AuditReport {
  ok: boolean;
  /** Records read from the store. */
  records: number;
  /** Checkpoints stored, and how many carry a valid signature by the given key. */
  checkpoints: number;
  validCheckpoints: number;
  /** Hash of the last record read. */
  headHash?: string;
  /** The newest checkpoint with a valid signature. */
  latestCheckpoint?: { id: number; size: number; headHash: string; at: string };
  firstBadSeq?: number;
  problem?: AuditProblem;
  /** Human-readable explanation of `problem`; never contains record bodies. */
  detail?: string;
  /** Not failures, but limits of what could be proven (e.g. no checkpoint yet). */
  warnings: string[];
}

export interface VerifyAuditOptions {
  /** The checkpoint public key (KeyObject or PEM; a private key is accepted and reduced to its public half). */
  publicKey: KeyObject | string | Buffer;
  /** Records fetched per query (default 2000). */
  batchSize?: number;
  /** Upper bound of candidate sequence numbers tried when classifying a bad record (default 100,000). */
  maxReorderSearch?: number;
}

/**
 * Recomputes the hash chain from the first record and checks it against every checkpoint signed
 * by `publicKey`. Stops at the first problem; `ok` is true only if the chain is intact, no
 * checkpoint is unsigned/forged, and the log still reaches the newest checkpoint's size.
 */
export async function verifyAudit(store: AuditStore, options: VerifyAuditOptions): Promise<AuditReport> {
  const publicKey = toPublicKey(options.publicKey, "the audit public key");
  const batchSize = options.batchSize ?? 2000;
  const stored = await store.listCheckpoints();
  const valid: StoredCheckpoint[] = [];
  const forged: StoredCheckpoint[] = [];
  for (const cp of stored) (verifyCheckpointSignature(cp, publicKey) ? valid : forged).push(cp);
  const bySize = new Map<number, StoredCheckpoint[]>();
  for (const cp of valid) bySize.set(cp.size, [...(bySize.get(cp.size) ?? []), cp]);
  const latest = valid.at(-1);

  const report: AuditReport = {
    ok: true,
    records: 0,
    checkpoints: stored.length,
    validCheckpoints: valid.length,
    latestCheckpoint: latest && {
      id: latest.id,
      size: latest.size,
      headHash: latest.headHash,
      at: latest.at,
    },
    warnings: [],
  };
  const fail = (problem: AuditProblem, firstBadSeq: number | undefined, detail: string): AuditReport => {
    Object.assign(report, { ok: false, problem, detail });
    if (firstBadSeq !== undefined) report.firstBadSeq = firstBadSeq;
    return report;
  };

  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let lastGoodCheckpointSize = 0;
  let afterSeq = 0;
  for (;;) {
    const batch = await store.list({ afterSeq, limit: batchSize });
    if (batch.length === 0) break;
    for (const r of batch) {
      report.records++;
      if (r.seq > expectedSeq) {
        return fail(
          "deleted",
          expectedSeq,
          `Record ${expectedSeq} is missing (the next stored record is ${r.seq}).`,
        );
      }
      if (computeRecordHash(r.prevHash, r.seq, r) !== r.hash) {
        const found = await classifyBadRecord(store, r, prev, options.maxReorderSearch ?? 100_000, batchSize);
        return fail(found.problem, r.seq, found.detail);
      }
      if (r.prevHash !== prev) {
        const bad = Math.max(1, r.seq - 1);
        return fail(
          "edited",
          bad,
          r.seq === 1
            ? "Record 1 does not start the chain (its previous hash is not the genesis hash)."
            : `Record ${r.seq} does not link to record ${bad}: record ${bad} was changed and re-hashed.`,
        );
      }
      if (r.body != null && sha256Hex(r.body) !== r.bodySha256) {
        return fail("edited", r.seq, `Record ${r.seq}'s stored body does not match its bodySha256.`);
      }
      for (const cp of bySize.get(r.seq) ?? []) {
        if (cp.headHash !== r.hash) {
          return fail(
            "checkpoint-mismatch",
            lastGoodCheckpointSize + 1,
            `The chain at record ${r.seq} differs from signed checkpoint #${cp.id} (${cp.at}): records ${lastGoodCheckpointSize + 1}..${r.seq} were rewritten.`,
          );
        }
        lastGoodCheckpointSize = r.seq;
      }
      prev = r.hash;
      expectedSeq++;
    }
    afterSeq = batch[batch.length - 1].seq;
  }
  const size = expectedSeq - 1;
  if (size > 0) report.headHash = prev;

  const maxCovered = valid.reduce((m, cp) => Math.max(m, cp.size), 0);
  if (maxCovered > size) {
    const cp = valid.find((c) => c.size === maxCovered)!;
    return fail(
      "truncated",
      size + 1,
      `Signed checkpoint #${cp.id} (${cp.at}) covers ${cp.size} records but the log ends at ${size}: records ${size + 1}..${cp.size} were removed.`,
    );
  }
  if (forged.length > 0) {
    const cp = forged[0];
    return fail(
      "bad-signature",
      undefined,
      `Checkpoint #${cp.id} (size ${cp.size}, key ${cp.keyId}) is not signed by the given key${forged.length > 1 ? ` (and ${forged.length - 1} more)` : ""}.`,
    );
  }
  if (!latest) {
    report.warnings.push(
      "No signed checkpoint: truncation or wholesale rewriting of the log cannot be detected.",
    );
  } else if (size > latest.size) {
    report.warnings.push(
      `${size - latest.size} record(s) after the latest checkpoint are protected by the hash chain only (not yet signed).`,
    );
  }
  return report;
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
): Promise<{ problem: AuditProblem; detail: string }> {
  const i = bad.seq;
  const edited = {
    problem: "edited" as const,
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
