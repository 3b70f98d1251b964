/**
 * What witnesses co-signed for this log, and whether the log still agrees with it: a witness's
 * cosignature is evidence kept outside the log's database, so it exposes truncation, rollback,
 * replacement and rewriting that the database alone cannot.
 */
import { FlmError } from "../../errors/flm-error.js";
import type { AuditProblem } from "./verify-audit.js";
import type { Evidence } from "./verify-evidence.js";
import type { AuditStore } from "./audit-store.js";
import type { Hash } from "./merkle.js";
import {
  cosignatureTime,
  type NoteVerifier,
  parseNote,
  parseVerifierKey,
  verifiedSignatures,
} from "./signed-note.js";
import { parseCheckpoint } from "./tlog-checkpoint.js";
import {
  fetchWitnessedCheckpoint,
  fetchWitnessInfo,
  type WitnessRequestOptions,
} from "./witness/witness-client.js";

export interface WitnessCheck {
  /** The witness URL (the prefix of its /add-checkpoint): ask it what it co-signed last. */
  url?: string;
  /** The witness's cosignature verifier key; without a URL, the log's stored cosignatures are checked. */
  key?: string;
  /** If the URL cannot be reached, use the stored cosignatures (with a warning) instead of failing. */
  fallbackToStored?: boolean;
}

export interface WitnessView {
  name: string;
  url?: string;
  /** Where the view came from: the witness itself, or cosignatures stored in the log. */
  source: "witness" | "stored";
  /** What the witness co-signed last for this log; undefined if it never did. */
  size?: number;
  rootHash?: Hash;
  at?: string;
  /** The log key (name, ID) that signed the checkpoint the witness holds. */
  logSigner?: { name: string; keyId: number };
  /** Why the witness could not be asked. */
  unreachable?: string;
}

export interface WitnessFinding {
  problem?: AuditProblem;
  detail?: string;
  firstBadSeq?: number;
  warning?: string;
}

/** One view per check; throws nothing (an unreachable witness is part of the view). */
export async function witnessViews(
  checks: WitnessCheck[],
  ctx: {
    origin?: string;
    evidence: Evidence;
    store: AuditStore;
    request: WitnessRequestOptions;
    warnings: string[];
  },
): Promise<WitnessView[]> {
  const cosigs = checks.some((c) => !c.url || c.fallbackToStored) ? await ctx.store.listCosignatures() : [];
  const stored = (verifier: NoteVerifier, url?: string): WitnessView => {
    const view: WitnessView = { name: verifier.name, url, source: "stored" };
    const heads = new Map(ctx.evidence.treeHeads.map((t) => [t.head.id, t]));
    for (const c of cosigs) {
      const t = heads.get(c.treeHeadId);
      if (!t || c.witness !== verifier.name) continue;
      try {
        const note = parseNote(`${parseNote(t.head.note).text}\n${c.line}`);
        const [sig] = verifiedSignatures(note, [verifier]);
        if (sig && (view.size === undefined || t.head.size > view.size)) {
          Object.assign(view, {
            size: t.head.size,
            rootHash: Buffer.from(t.head.rootHash, "base64"),
            at: cosignatureTime(sig.signature)?.toISOString(),
          });
        }
      } catch {
        // a stored cosignature that does not verify is simply not evidence
      }
    }
    return view;
  };
  const out: WitnessView[] = [];
  for (const check of checks) {
    let verifier = check.key ? parseVerifierKey(check.key) : undefined;
    if (!check.url) {
      out.push(stored(verifier!));
      continue;
    }
    try {
      if (!verifier) {
        const info = await fetchWitnessInfo(check.url, ctx.request);
        verifier = parseVerifierKey(info.vkey);
        ctx.warnings.push(
          `Witness ${verifier.name}: its key was taken from ${check.url} itself; pin it with --witness '${check.url}#${verifier.vkey}'.`,
        );
      }
      out.push(await asked(check.url, verifier, ctx.origin, ctx.request));
    } catch (error) {
      const why = FlmError.isInstance(error) ? error.message : String(error);
      if (verifier && check.fallbackToStored) {
        ctx.warnings.push(
          `Witness ${verifier.name} could not be asked (${why}); checked its cosignatures stored in the log instead.`,
        );
        out.push(stored(verifier, check.url));
      } else
        out.push({ name: verifier?.name ?? check.url, url: check.url, source: "witness", unreachable: why });
    }
  }
  return out;
}

async function asked(
  url: string,
  verifier: NoteVerifier,
  origin: string | undefined,
  request: WitnessRequestOptions,
): Promise<WitnessView> {
  const view: WitnessView = { name: verifier.name, url, source: "witness" };
  if (!origin) return view;
  const text = await fetchWitnessedCheckpoint(url, origin, request);
  if (text === undefined) return view;
  const note = parseNote(text);
  const [sig] = verifiedSignatures(note, [verifier]);
  const cp = parseCheckpoint(note.text);
  if (!sig || cp.origin !== origin) {
    throw new Error(`the checkpoint it returned is not co-signed by ${verifier.name} for ${origin}`);
  }
  const logSig = note.signatures.find((s) => s.name === origin);
  return {
    ...view,
    size: cp.size,
    rootHash: cp.rootHash,
    at: cosignatureTime(sig.signature)?.toISOString(),
    logSigner: logSig && { name: logSig.name, keyId: logSig.keyId },
  };
}

/**
 * Compares the log (its size, its roots at the witnessed sizes, its own tree heads) with what a
 * witness co-signed. Failures first; a witness that is merely behind is a warning (the gap).
 */
export function compareWithWitness(
  view: WitnessView,
  log: { size: number; rootAt: Map<number, Hash>; evidence: Evidence },
): WitnessFinding {
  const who = `Witness ${view.name}${view.url ? ` (${view.url})` : ""}`;
  if (view.unreachable)
    return { problem: "witness-unreachable", detail: `${who} could not be asked: ${view.unreachable}` };
  if (view.size === undefined || !view.rootHash) {
    if (log.size === 0 && log.evidence.treeHeads.length === 0) return {};
    return {
      problem: "not-witnessed",
      detail: `${who} has never co-signed this log${log.evidence.origin ? ` (${log.evidence.origin})` : ""}: nothing outside the database vouches for it.`,
    };
  }
  const when = view.at ? ` at ${view.at}` : "";
  if (view.size > log.size) {
    return {
      problem: "behind-witness",
      firstBadSeq: log.size + 1,
      detail: `${who} co-signed ${view.size} record(s)${when}, but the log has only ${log.size}: records ${log.size + 1}..${view.size} were removed (tail truncated, snapshot rolled back, or log replaced).`,
    };
  }
  const root = log.rootAt.get(view.size);
  if (!root?.equals(view.rootHash)) {
    return {
      problem: "forked",
      detail: `The log's first ${view.size} record(s) are not what ${who} co-signed${when}: the log was rewritten or replaced (a fork).`,
    };
  }
  const newest = log.evidence.treeHeads.at(-1);
  if (view.logSigner && newest?.signedBy && !sameKey(view.logSigner, newest.signedBy)) {
    return {
      problem: "key-changed",
      detail: `The log's checkpoints are signed by key ${describe(newest.signedBy)}, but ${who} co-signed checkpoints signed by ${describe(view.logSigner)}: the log key was replaced.`,
    };
  }
  const maxLocal = Math.max(0, ...log.evidence.treeHeads.map((t) => t.head.size));
  if (view.source === "witness" && view.size > maxLocal) {
    return {
      problem: "checkpoints-missing",
      detail: `${who} co-signed a checkpoint of ${view.size} record(s)${when} that the log no longer holds (its newest covers ${maxLocal}): checkpoints were deleted.`,
    };
  }
  if (view.size < log.size) {
    return {
      warning: `${who}: records ${view.size + 1}..${log.size} are not co-signed yet (its newest cosignature covers ${view.size}${when}); until they are, removing them is detectable only by the log's own checkpoints.`,
    };
  }
  return {};
}

const sameKey = (a: { name: string; keyId: number }, b: { name: string; keyId: number }) =>
  a.name === b.name && a.keyId === b.keyId;
const describe = (k: { name: string; keyId: number }) => `${k.name}+${k.keyId.toString(16).padStart(8, "0")}`;
