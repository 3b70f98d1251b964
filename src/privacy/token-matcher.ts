import { DECODED, type LexedTokens, RAW } from "./lexed-tokens.js";
import type { Tokens } from "./normalize.js";
import { hashToken } from "./normalize-token.js";

export interface TokenMatch<T> {
  /** Token index range `[first, last]` (inclusive) in the scanned token list. */
  first: number;
  last: number;
  /** Normalized key of the matched value (tokens joined by a space). */
  key: string;
  meta: T;
}

/**
 * Interns normalized tokens to dense integer ids. Open addressing on the token hash; a lexed token
 * is verified against the stored string in place (ASCII case-folded), so scanning builds no strings.
 */
class TokenDictionary {
  private slots = new Int32Array(1024); // id + 1, 0 = empty
  private hashes = new Int32Array(256);
  readonly strings: string[] = [];

  get size(): number {
    return this.strings.length;
  }

  intern(token: string): number {
    const h = hashToken(token);
    const found = this.find(h, token);
    if (found >= 0) return found;
    const id = this.strings.length;
    if ((id + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    if (id === this.hashes.length) {
      const next = new Int32Array(id * 2);
      next.set(this.hashes);
      this.hashes = next;
    }
    this.strings.push(token);
    this.hashes[id] = h;
    this.place(h, id);
    return id;
  }

  /** Id of a normalized token, or -1. */
  find(h: number, token: string): number {
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const v = this.slots[s]!;
      if (v === 0) return -1;
      if (this.hashes[v - 1] === h && this.strings[v - 1] === token) return v - 1;
    }
  }

  /** Id of lexed token `k`, or -1. */
  findLexed(lexed: LexedTokens, k: number): number {
    const h = lexed.hash[k]!;
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const v = this.slots[s]!;
      if (v === 0) return -1;
      if (this.hashes[v - 1] !== h) continue;
      const stored = this.strings[v - 1]!;
      const norm = lexed.norm[k];
      if (norm !== undefined) {
        if (norm === stored) return v - 1;
        continue;
      }
      const start = lexed.start[k]!;
      const len = lexed.end[k]! - start;
      if (stored.length !== len) continue;
      const text = lexed.texts[lexed.src[k]!]!;
      let j = 0;
      for (; j < len; j++) {
        let c = text.charCodeAt(start + j);
        if (c >= 65 && c <= 90) c += 32;
        if (c !== stored.charCodeAt(j)) break;
      }
      if (j === len) return v - 1;
    }
  }

  private place(h: number, id: number): void {
    const mask = this.slots.length - 1;
    let s = h & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = id + 1;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity);
    for (let id = 0; id < this.strings.length; id++) this.place(this.hashes[id]!, id);
  }
}

/**
 * Multi-pattern matcher over normalized token sequences. Tokens are interned to integer ids when
 * patterns are added, and patterns form a trie of ids (root edges in a dense array indexed by id,
 * deeper edges in an open-addressing table keyed by (node, id)). Scanning costs one dictionary probe
 * per token of the text plus one edge probe per token that continues a pattern, independent of how
 * many patterns are indexed: this keeps 100,000 values against a 20 KB body well under a millisecond.
 */
export class TokenMatcher<T> {
  private readonly dict = new TokenDictionary();
  private rootChild: Int32Array = new Int32Array(256); // token id -> node (0 = none)
  private nodeEntry: Int32Array = new Int32Array(256); // node -> entry + 1 (0 = not terminal); node 0 is the root
  private nodes = 1;
  private edgeNode = new Int32Array(1024);
  private edgeToken = new Int32Array(1024);
  private edgeChild = new Int32Array(1024); // 0 = empty slot
  private edges = 0;
  private readonly metas: T[] = [];
  private readonly keys: string[] = [];

  get size(): number {
    return this.metas.length;
  }

  /** Adds a pattern; the first meta added for a key is kept. Returns false if it was already present. */
  add(tokens: readonly string[], meta: T): boolean {
    if (tokens.length === 0) return false;
    let node = 0;
    for (const token of tokens) {
      const id = this.dict.intern(token);
      let next = node === 0 ? this.rootAt(id) : this.child(node, id);
      if (next === 0) {
        next = this.newNode();
        if (node === 0) this.rootChild[id] = next;
        else this.addEdge(node, id, next);
      }
      node = next;
    }
    if (this.nodeEntry[node] !== 0) return false;
    this.metas.push(meta);
    this.keys.push(tokens.join(" "));
    this.nodeEntry[node] = this.metas.length;
    return true;
  }

  has(tokens: readonly string[]): boolean {
    let node = 0;
    for (const token of tokens) {
      const id = this.dict.find(hashToken(token), token);
      if (id < 0) return false;
      node = node === 0 ? this.rootAt(id) : this.child(node, id);
      if (node === 0) return false;
    }
    return node !== 0 && this.nodeEntry[node] !== 0;
  }

  /** Id of a normalized token in the pattern dictionary, or -1. */
  tokenId(token: string): number {
    return this.dict.find(hashToken(token), token);
  }

  /** The normalized key and meta of entry `entry` (from `scanIds`). */
  key(entry: number): string {
    return this.keys[entry]!;
  }

  meta(entry: number): T {
    return this.metas[entry]!;
  }

  /** Leftmost-longest, non-overlapping matches. */
  scan(text: Tokens): TokenMatch<T>[] {
    const { tokens } = text;
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) ids[i] = this.dict.find(hashToken(tokens[i]!), tokens[i]!);
    const out: TokenMatch<T>[] = [];
    this.scanIds(ids, ids.length, (first, last, entry) => {
      out.push({ first, last, key: this.keys[entry]!, meta: this.metas[entry]! });
    });
    return out;
  }

  /** Token ids of lexed tokens (-1 for tokens no pattern contains). */
  idsOf(lexed: LexedTokens): Int32Array {
    const ids = new Int32Array(lexed.count);
    for (let k = 0; k < lexed.count; k++) ids[k] = this.dict.findLexed(lexed, k);
    return ids;
  }

  /**
   * The token ids of each view of a lexed body: `visit(view, ids, n, at)` where `ids[0..n)` are the
   * view's tokens in text order and `at(j)` is the lexed index of `ids[j]`. One view when the views
   * hold the same tokens.
   */
  views(
    lexed: LexedTokens,
    visit: (view: number, ids: Int32Array, n: number, at: (j: number) => number) => void,
  ): void {
    const ids = this.idsOf(lexed);
    if (!lexed.split) {
      visit(RAW, ids, ids.length, (j) => j);
      return;
    }
    const view = new Int32Array(ids.length);
    const flags = lexed.flags;
    for (const flag of [RAW, DECODED]) {
      if ((lexed.views & flag) === 0) continue;
      let n = 0;
      for (let k = 0; k < ids.length; k++) if ((flags[k]! & flag) !== 0) view[n++] = ids[k]!;
      // Matches are rare: the view-to-lexed index map is built on the first one.
      let order: Int32Array | undefined;
      const at = (j: number): number => {
        if (!order) {
          order = new Int32Array(n);
          let m = 0;
          for (let k = 0; k < ids.length; k++) if ((flags[k]! & flag) !== 0) order[m++] = k;
        }
        return order[j]!;
      };
      visit(flag, view, n, at);
    }
  }

  /** Leftmost-longest, non-overlapping matches over `ids[0..n)`; calls `visit` in text order. */
  scanIds(ids: Int32Array, n: number, visit: (first: number, last: number, entry: number) => void): void {
    const rootChild = this.rootChild;
    const rootSize = rootChild.length;
    const nodeEntry = this.nodeEntry;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (id < 0 || id >= rootSize) continue;
      let node = rootChild[id]!;
      if (node === 0) continue;
      let bestLast = -1;
      let bestEntry = 0;
      let j = i;
      for (;;) {
        const e = nodeEntry[node]!;
        if (e !== 0) {
          bestLast = j;
          bestEntry = e;
        }
        if (++j >= n) break;
        const next = ids[j]!;
        if (next < 0) break;
        node = this.child(node, next);
        if (node === 0) break;
      }
      if (bestLast >= 0) {
        visit(i, bestLast, bestEntry - 1);
        i = bestLast;
      }
    }
  }

  private rootAt(id: number): number {
    return id < this.rootChild.length ? this.rootChild[id]! : 0;
  }

  private newNode(): number {
    const node = this.nodes++;
    if (node >= this.nodeEntry.length) this.nodeEntry = grown(this.nodeEntry, node * 2);
    const ids = this.dict.size;
    if (ids > this.rootChild.length) this.rootChild = grown(this.rootChild, ids * 2);
    return node;
  }

  private slot(node: number, id: number): number {
    let h = Math.imul(node, 0x9e3779b1) ^ Math.imul(id, 0x85ebca6b);
    h ^= h >>> 15;
    return h;
  }

  private child(node: number, id: number): number {
    const mask = this.edgeChild.length - 1;
    for (let s = this.slot(node, id) & mask; ; s = (s + 1) & mask) {
      const c = this.edgeChild[s]!;
      if (c === 0) return 0;
      if (this.edgeNode[s] === node && this.edgeToken[s] === id) return c;
    }
  }

  private addEdge(node: number, id: number, child: number): void {
    if ((this.edges + 1) * 2 > this.edgeChild.length) {
      const oldNode = this.edgeNode;
      const oldToken = this.edgeToken;
      const oldChild = this.edgeChild;
      const capacity = oldChild.length * 2;
      this.edgeNode = new Int32Array(capacity);
      this.edgeToken = new Int32Array(capacity);
      this.edgeChild = new Int32Array(capacity);
      for (let s = 0; s < oldChild.length; s++) {
        if (oldChild[s] !== 0) this.insertEdge(oldNode[s]!, oldToken[s]!, oldChild[s]!);
      }
    }
    this.insertEdge(node, id, child);
    this.edges++;
  }

  private insertEdge(node: number, id: number, child: number): void {
    const mask = this.edgeChild.length - 1;
    let s = this.slot(node, id) & mask;
    while (this.edgeChild[s] !== 0) s = (s + 1) & mask;
    this.edgeNode[s] = node;
    this.edgeToken[s] = id;
    this.edgeChild[s] = child;
  }
}

function grown(a: Int32Array, capacity: number): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}
