import type { KeyObject } from "node:crypto";
import { AuditKeyError } from "./audit-errors.js";
import { toPublicKey } from "./audit-key.js";
import type { AuditStore } from "./audit-store.js";
import { isVerifierKey, parseVerifierKey } from "./signed-note.js";
import { defaultOrigin } from "./tree-head.js";
import { scanChain } from "./verify-chain.js";
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

export type Failure = { problem: AuditProblem; firstBadSeq?: number; detail: string };

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
