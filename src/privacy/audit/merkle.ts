/**
 * RFC 6962 / RFC 9162 Merkle tree hashing: leaves are hashed with a 0x00 prefix, interior nodes
 * with 0x01, so a leaf can never be passed off as a node. The audit log's leaf `i` is the 32-byte
 * chain hash of record `i + 1` (which commits to the record's content and to every record before
 * it), so a tree head commits to the whole chain.
 */
import * as crypto from "node:crypto";

export type Hash = Buffer;

/** `crypto.hash` (Node ≥ 20.12) is a one-shot digest, about twice as fast for small inputs. */
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: "buffer") => Buffer })
  .hash;
const sha256 = (data: Buffer): Hash =>
  oneShot ? oneShot("sha256", data, "buffer") : crypto.createHash("sha256").update(data).digest();

export function leafHash(data: Uint8Array): Hash {
  const buf = Buffer.allocUnsafe(1 + data.length);
  buf[0] = 0;
  buf.set(data, 1);
  return sha256(buf);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  const buf = Buffer.allocUnsafe(1 + left.length + right.length);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = crypto.createHash("sha256").digest();

/** The largest power of two strictly smaller than `n` (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The right edge of a tree of `size` leaves: the roots of its maximal perfect subtrees, left to
 * right (one per set bit of `size`). Enough to append leaves and compute the root without the rest
 * of the tree; it is what a stored tree head keeps so the next one never re-reads old records.
 */
export class Frontier {
  size: number;
  /** Roots of the perfect subtrees, biggest (leftmost) first. */
  readonly nodes: Hash[];

  constructor(size = 0, nodes: Hash[] = []) {
    if (popcount(size) !== nodes.length) {
      throw new RangeError(`A frontier of size ${size} has ${popcount(size)} nodes, not ${nodes.length}.`);
    }
    this.size = size;
    this.nodes = nodes.slice();
  }

  /** Appends one leaf hash (already `leafHash`ed). */
  push(leaf: Hash): void {
    let node = leaf;
    let size = this.size;
    // Each trailing 1 bit of the old size is a perfect subtree that the new leaf completes.
    while (size % 2 === 1) {
      node = nodeHash(this.nodes.pop()!, node);
      size = Math.floor(size / 2);
    }
    this.nodes.push(node);
    this.size++;
  }

  root(): Hash {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let h = this.nodes[this.nodes.length - 1];
    for (let i = this.nodes.length - 2; i >= 0; i--) h = nodeHash(this.nodes[i], h);
    return h;
  }

  /** The frontier's perfect subtrees as `[start, end)` ranges, matching `nodes`. */
  ranges(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let start = 0;
    for (let bit = 2 ** Math.floor(Math.log2(Math.max(this.size, 1))); bit >= 1; bit /= 2) {
      if (Math.floor(this.size / bit) % 2 === 1) {
        out.push([start, start + bit]);
        start += bit;
      }
    }
    return out;
  }

  clone(): Frontier {
    return new Frontier(this.size, this.nodes);
  }

  serialize(): string {
    return JSON.stringify(this.nodes.map((n) => n.toString("base64")));
  }

  static parse(size: number, text: string): Frontier {
    const arr = JSON.parse(text) as unknown;
    if (!Array.isArray(arr) || !arr.every((x) => typeof x === "string")) {
      throw new RangeError("A stored frontier must be a JSON array of base64 hashes.");
    }
    return new Frontier(
      size,
      arr.map((s) => Buffer.from(s, "base64")),
    );
  }
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) c += x % 2;
  return c;
}

/** Computes MTH(D[start:end)); called with aligned ranges only. */
export type RangeHasher = (start: number, end: number) => Promise<Hash>;

/**
 * RFC 6962 §2.1.2 PROOF(m, D[n]): the hashes that prove the tree of size `m` is a prefix of the tree
 * of size `n`. `hash(start, end)` supplies subtree hashes.
 */
export async function consistencyProof(m: number, n: number, hash: RangeHasher): Promise<Hash[]> {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m >= 0 && m <= n)) {
    throw new RangeError(`No consistency proof from size ${m} to size ${n}.`);
  }
  if (m === 0 || m === n) return [];
  const out: Hash[] = [];
  await subproof(m, 0, n, true, hash, out);
  return out;
}

async function subproof(
  m: number,
  start: number,
  end: number,
  complete: boolean,
  hash: RangeHasher,
  out: Hash[],
): Promise<void> {
  const n = end - start;
  if (m === n) {
    if (!complete) out.push(await hash(start, end));
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    await subproof(m, start, start + k, complete, hash, out);
    out.push(await hash(start + k, end));
  } else {
    await subproof(m - k, start + k, end, false, hash, out);
    out.push(await hash(start, start + k));
  }
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of size `m` with root `oldRoot` is a prefix of
 * the tree of size `n` with root `newRoot`?
 */
export function verifyConsistency(
  m: number,
  n: number,
  oldRoot: Hash,
  newRoot: Hash,
  proof: Hash[],
): boolean {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m >= 0 && m <= n)) return false;
  if (m === n) return proof.length === 0 && oldRoot.equals(newRoot);
  if (m === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(m) ? [oldRoot, ...proof] : proof.slice();
  // BigInt keeps the bit arithmetic exact for sizes beyond 2^31.
  let fn = BigInt(m - 1);
  let sn = BigInt(n - 1);
  while (fn & 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if (fn & 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!(fn & 1n)) {
        while (!(fn & 1n) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.equals(oldRoot) && sr.equals(newRoot) && sn === 0n;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n));
}

/** MTH over an in-memory list of leaf hashes (tests and small trees). */
export function rootOf(leaves: Hash[]): Hash {
  const f = new Frontier();
  for (const l of leaves) f.push(l);
  return f.root();
}

/** MTH(D[start:end)) over in-memory leaf hashes, as a `RangeHasher`. */
export function rangeHasherOf(leaves: Hash[]): RangeHasher {
  return async (start, end) => rootOf(leaves.slice(start, end));
}
