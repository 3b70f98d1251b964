/**
 * The Merkle tree of a stored log, as the writer needs it: the frontier at the current head
 * (extended from the newest tree head's stored frontier, reading only the records after it) and
 * subtree hashes for consistency proofs (frontier nodes of the old size, plus the new leaves).
 */
import type { AuditStore } from "./audit-store.js";
import { Frontier, type Hash, leafHash, type RangeHasher, rootOf } from "./merkle.js";
import type { StoredTreeHead } from "./tree-head.js";

const BATCH = 5000;

/** Leaf hashes of records `from + 1 .. to` (1-based seqs), checking the seqs are contiguous. */
export async function leavesBetween(store: AuditStore, from: number, to: number): Promise<Hash[]> {
  const out: Hash[] = [];
  let after = from;
  while (after < to) {
    const rows = await store.hashes(after, Math.min(BATCH, to - after));
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.seq !== after + 1) {
        throw new RangeError(
          `The audit log has no record ${after + 1} (next is ${r.seq}); cannot build its tree.`,
        );
      }
      out.push(leafHash(Buffer.from(r.hash, "hex")));
      after = r.seq;
    }
  }
  if (after !== to) throw new RangeError(`The audit log ends at record ${after}, before ${to}.`);
  return out;
}

/**
 * The frontier at the log's current head, extended from the newest stored tree head (whose
 * frontier is a cache: an unreadable one costs one full read, nothing more).
 */
export async function currentFrontier(
  store: AuditStore,
): Promise<{ frontier: Frontier; latest: StoredTreeHead | undefined }> {
  const latest = await store.latestTreeHead();
  let frontier = new Frontier();
  if (latest) {
    try {
      frontier = Frontier.parse(latest.size, latest.frontier);
    } catch {
      frontier = new Frontier();
    }
  }
  for (;;) {
    const rows = await store.hashes(frontier.size, BATCH);
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.seq !== frontier.size + 1) {
        throw new RangeError(
          `The audit log has no record ${frontier.size + 1} (next is ${r.seq}); refusing to sign a broken chain.`,
        );
      }
      frontier.push(leafHash(Buffer.from(r.hash, "hex")));
    }
  }
  return { frontier, latest };
}

/**
 * Subtree hashes for a consistency proof from `oldSize` to `newSize`: nodes of the old tree come
 * from the frontier stored with the tree head of `oldSize` (RFC 6962 proofs only use those), the
 * rest from the new leaves; anything else is computed from records read on demand.
 */
export async function proofHasher(store: AuditStore, oldSize: number, newSize: number): Promise<RangeHasher> {
  const known = new Map<string, Hash>();
  const old = await store.treeHeadAt(oldSize);
  if (old) {
    try {
      const f = Frontier.parse(old.size, old.frontier);
      for (const [i, [a, b]] of f.ranges().entries()) known.set(`${a}:${b}`, f.nodes[i]);
    } catch {
      // fall back to reading the records
    }
  }
  const fresh = await leavesBetween(store, oldSize, newSize);
  return async (start, end) => {
    const k = known.get(`${start}:${end}`);
    if (k) return k;
    if (start >= oldSize) return rootOf(fresh.slice(start - oldSize, end - oldSize));
    const leaves = await leavesBetween(store, start, end);
    const h = rootOf(leaves);
    known.set(`${start}:${end}`, h);
    return h;
  };
}
