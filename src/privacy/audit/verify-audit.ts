import type { KeyObject } from "node:crypto";
import { AuditKeyError } from "./audit-errors.js";
import { toPublicKey } from "./audit-key.js";
import { type AuditRecord, computeRecordHash, GENESIS_HASH, sha256Hex } from "./audit-record.js";
import type { AuditStore } from "./audit-store.js";
import { Frontier, type Hash, leafHash } from "./merkle.js";
import { isVerifierKey, parseVerifierKey } from "./signed-note.js";
import { defaultOrigin } from "./tree-head.js";
import { type Evidence, type LogKey, loadEvidence } from "./verify-evidence.js";
import { compareWithWitness, type WitnessCheck, type WitnessView, witnessViews } from "./verify-witness.js";

/**
 * What went wrong, at the first bad record:
 * - `edited`: a record's content no longer matches its hash (or its successor's link).
 * - `deleted`: a sequence number is missing (or records were renumbered over a gap).
 * - `reordered`: a genuine record sits at another record's position.
 * - `duplicate`: a sequence number appears twice (a table rebuilt without its constraints).
 * - `foreign-row`: a row whose seq is not a positive integer (inserted by hand: seq ≤ 0, text…).
 * - `unaccounted-rows`: the table holds rows the ordered scan never reached.
 * - `truncated`: a signed checkpoint covers more records than the log holds.
 * - `checkpoint-mismatch`: the chain is self-consistent but differs from a signed checkpoint
 *   (records rewritten and re-hashed wholesale); `firstBadSeq` is the earliest possibly-bad seq.
 * - `bad-signature`: a stored checkpoint was not signed by the given key (or was altered).
 * - `empty`: no records where a log is expected (deleted or emptied); `allowEmpty` accepts it.
 * - `behind-witness`: a witness co-signed more records than the log has.
 * - `forked`: the log's records differ from what a witness co-signed.
 * - `key-changed`: the log's checkpoints are signed by another key than the one a witness saw.
 * - `checkpoints-missing`: a witness co-signed a checkpoint the log no longer holds.
 * - `not-witnessed`: a witness the auditor relies on never co-signed this log.
 * - `witness-unreachable`: a witness the auditor named could not be asked.
 */
export type AuditProblem =
  | "edited"
  | "deleted"
  | "reordered"
  | "duplicate"
  | "foreign-row"
  | "unaccounted-rows"
  | "truncated"
  | "checkpoint-mismatch"
  | "bad-signature"
  | "empty"
  | "behind-witness"
  | "forked"
  | "key-changed"
  | "checkpoints-missing"
  | "not-witnessed"
  | "witness-unreachable";

export interface WitnessReport {
  name: string;
  url?: string;
  source: "witness" | "stored";
  /** Records the witness co-signed (undefined: never). */
  size?: number;
  at?: string;
  ok: boolean;
}

export interface AuditReport {
  ok: boolean;
  /** Records read from the store. */
  records: number;
  /** Checkpoints stored (tree heads and legacy ones), and how many are validly signed. */
  checkpoints: number;
  validCheckpoints: number;
  /** Hash of the last record read. */
  headHash?: string;
  /** The log's identity in its checkpoints (C2SP origin). */
  origin?: string;
  /** Base64 RFC 6962 root over all records. */
  rootHash?: string;
  /** The newest checkpoint with a valid signature. */
  latestCheckpoint?: { id: number; size: number; headHash?: string; rootHash?: string; at: string };
  witnesses: WitnessReport[];
  firstBadSeq?: number;
  problem?: AuditProblem;
  /** Human-readable explanation of `problem`; never contains record bodies. */
  detail?: string;
  /** Not failures, but limits of what could be proven (e.g. no checkpoint yet). */
  warnings: string[];
}

export interface VerifyAuditOptions {
  /**
   * The log key: a KeyObject or PEM (either half), or its C2SP verifier key
   * (`<origin>+<key ID>+<key>`, which also pins the origin). Optional only with witnesses.
   */
  publicKey?: KeyObject | string | Buffer;
  /** The log's origin, when known (a verifier key already names it). */
  origin?: string;
  /** Accept a log with no records (default false: an absent or empty log fails as `empty`). */
  allowEmpty?: boolean;
  /** Witnesses to hold the log against. */
  witnesses?: WitnessCheck[];
  /** For witness requests (tests); default the global fetch. */
  fetch?: typeof fetch;
  witnessTimeoutMs?: number;
  /** Records fetched per query (default 2000). */
  batchSize?: number;
  /** Upper bound of candidate sequence numbers tried when classifying a bad record (default 100,000). */
  maxReorderSearch?: number;
}

type Failure = { problem: AuditProblem; firstBadSeq?: number; detail: string };

/**
 * Reads every row of the log and proves, as far as the evidence allows, that it is the complete,
 * unaltered, append-only log: the hash chain from record 1, the Merkle root at every signed
 * checkpoint, the checkpoint signatures, and what each witness co-signed. Stops at the first problem.
 */
export async function verifyAudit(store: AuditStore, options: VerifyAuditOptions): Promise<AuditReport> {
  const key = logKey(options);
  if (!key && !options.witnesses?.length) {
    throw new AuditKeyError("missing", "Verifying the audit log needs its public key or a witness.", {
      hint: "Pass the log's .pub file or verifier key (flm audit vkey), and/or --witness <url>.",
    });
  }
  const evidence = await loadEvidence(store, key);
  const report = emptyReport(evidence);
  const warnings = report.warnings;
  // The origin to ask witnesses about: named by the auditor or the key, else the log's own.
  const origin =
    options.origin ?? key?.origin ?? evidence.origin ?? (key ? defaultOrigin(key.publicKey) : undefined);
  const views = options.witnesses?.length
    ? await witnessViews(options.witnesses, {
        origin,
        evidence,
        store,
        request: { fetch: options.fetch, timeoutMs: options.witnessTimeoutMs },
        warnings,
      })
    : [];
  const fail = (f: Failure): AuditReport => {
    Object.assign(report, { ok: false, problem: f.problem, detail: f.detail });
    if (f.firstBadSeq !== undefined) report.firstBadSeq = f.firstBadSeq;
    return report;
  };

  const wanted = new Set(views.map((v) => v.size).filter((s): s is number => s !== undefined));
  const scan = await scanChain(store, evidence, wanted, options, report);
  if ("problem" in scan) return fail(scan);
  const size = scan.size;
  report.witnesses = views.map((v) => witnessReport(v));
  for (const [i, view] of views.entries()) {
    const finding = compareWithWitness(view, { size, rootAt: scan.rootAt, evidence });
    if (finding.warning) warnings.push(finding.warning);
    if (finding.problem) {
      report.witnesses[i].ok = false;
      return fail({ problem: finding.problem, firstBadSeq: finding.firstBadSeq, detail: finding.detail! });
    }
  }
  const after = afterScan(evidence, size, options.allowEmpty ?? false);
  if (after) return fail(after);
  if (!key)
    warnings.push(
      "Checkpoint signatures were not checked (no log key given); the witnesses vouch for the log.",
    );
  const latest = Math.max(
    0,
    ...evidence.treeHeads.map((t) => t.head.size),
    ...evidence.legacyValid.map((c) => c.size),
  );
  if (evidence.treeHeads.length + evidence.legacyValid.length === 0) {
    if (size > 0)
      warnings.push("No signed checkpoint: truncation or wholesale rewriting of the log cannot be detected.");
  } else if (size > latest) {
    warnings.push(
      `${size - latest} record(s) after the latest checkpoint are protected by the hash chain only (not yet signed).`,
    );
  }
  if (views.length === 0 && size > 0) {
    warnings.push(
      "No witness was consulted: a rollback, a replaced log or a truncated tail together with its checkpoints cannot be detected (pass --witness).",
    );
  }
  return report;
}

function logKey(options: VerifyAuditOptions): LogKey | undefined {
  const k = options.publicKey;
  if (k === undefined) return undefined;
  if (typeof k === "string" && isVerifierKey(k)) {
    const v = parseVerifierKey(k);
    return { publicKey: v.publicKey, origin: v.name };
  }
  return { publicKey: toPublicKey(k, "the audit public key"), origin: options.origin };
}

function emptyReport(evidence: Evidence): AuditReport {
  const latestHead = evidence.treeHeads.at(-1)?.head;
  const latestLegacy = evidence.legacyValid.at(-1);
  const report: AuditReport = {
    ok: true,
    records: 0,
    checkpoints: evidence.legacy.length + evidence.treeHeadCount,
    validCheckpoints: evidence.legacyValid.length + evidence.treeHeads.length,
    origin: evidence.origin,
    witnesses: [],
    warnings: [],
  };
  if (latestHead) {
    report.latestCheckpoint = {
      id: latestHead.id,
      size: latestHead.size,
      rootHash: latestHead.rootHash,
      at: latestHead.at,
    };
  } else if (latestLegacy) {
    report.latestCheckpoint = {
      id: latestLegacy.id,
      size: latestLegacy.size,
      headHash: latestLegacy.headHash,
      at: latestLegacy.at,
    };
  }
  return report;
}

function witnessReport(v: WitnessView): WitnessReport {
  return { name: v.name, url: v.url, source: v.source, size: v.size, at: v.at, ok: true };
}

/** Checks that need the whole scan: truncation, forged checkpoints, an empty log. */
function afterScan(evidence: Evidence, size: number, allowEmpty: boolean): Failure | undefined {
  const covering = [
    ...evidence.legacyValid.map((c) => ({ id: c.id, size: c.size, at: c.at })),
    ...evidence.treeHeads.map((t) => ({ id: t.head.id, size: t.head.size, at: t.head.at })),
  ].sort((a, b) => b.size - a.size)[0];
  if (covering && covering.size > size) {
    return {
      problem: "truncated",
      firstBadSeq: size + 1,
      detail: `Signed checkpoint #${covering.id} (${covering.at}) covers ${covering.size} records but the log ends at ${size}: records ${size + 1}..${covering.size} were removed.`,
    };
  }
  if (evidence.forged.length > 0) {
    const f = evidence.forged[0];
    const more = evidence.forged.length > 1 ? ` (and ${evidence.forged.length - 1} more)` : "";
    return { problem: "bad-signature", detail: `Checkpoint #${f.id} (size ${f.size}): ${f.why}${more}.` };
  }
  if (size === 0 && !allowEmpty) {
    return {
      problem: "empty",
      detail:
        "The audit log has no records: it was deleted, emptied or never written. Pass --allow-empty (allowEmpty) if an empty log is expected.",
    };
  }
  return undefined;
}

interface ScanResult {
  size: number;
  rootAt: Map<number, Hash>;
}

/**
 * One pass over every row in seq order: the chain, the bodies, and the Merkle root at every
 * checkpoint size (and at the sizes witnesses co-signed, collected in `rootAt`).
 */
async function scanChain(
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
