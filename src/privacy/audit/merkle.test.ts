import { describe, expect, it } from "vitest";
import {
  consistencyProof,
  EMPTY_ROOT,
  Frontier,
  type Hash,
  leafHash,
  rangeHasherOf,
  rootOf,
  verifyConsistency,
} from "./merkle.js";

// The RFC 6962 test leaves and roots used by the Certificate Transparency implementations.
const LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
];
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const h = (hex: string) => Buffer.from(hex, "hex");
const leaves = LEAVES.map((l) => leafHash(h(l)));

describe("RFC 6962 Merkle tree", () => {
  it("computes the reference roots for 1..8 leaves, and the empty root", () => {
    for (let n = 1; n <= 8; n++) expect(rootOf(leaves.slice(0, n)).toString("hex")).toBe(ROOTS[n - 1]);
    expect(rootOf([]).toString("hex")).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(new Frontier().root().equals(EMPTY_ROOT)).toBe(true);
  });

  it("produces and verifies the reference consistency proofs", async () => {
    const p68 = await consistencyProof(6, 8, rangeHasherOf(leaves));
    expect(p68.map((x) => x.toString("hex"))).toEqual([
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]);
    expect(verifyConsistency(6, 8, h(ROOTS[5]), h(ROOTS[7]), p68)).toBe(true);
    expect(verifyConsistency(6, 8, h(ROOTS[4]), h(ROOTS[7]), p68)).toBe(false);
    const p25 = await consistencyProof(2, 5, rangeHasherOf(leaves));
    expect(p25.map((x) => x.toString("hex"))).toEqual([
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ]);
    expect(verifyConsistency(2, 5, h(ROOTS[1]), h(ROOTS[4]), p25)).toBe(true);
  });

  it("proves every prefix of a 40-leaf tree and rejects every tampered proof", async () => {
    const many: Hash[] = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
    const roots = [EMPTY_ROOT, ...many.map((_, i) => rootOf(many.slice(0, i + 1)))];
    for (let n = 1; n <= 40; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = await consistencyProof(m, n, rangeHasherOf(many));
        expect(verifyConsistency(m, n, roots[m], roots[n], proof), `${m}->${n}`).toBe(true);
        if (m === 0 || m === n) continue;
        expect(verifyConsistency(m, n, roots[m], roots[n - 1], proof)).toBe(false);
        expect(verifyConsistency(m, n, roots[m - 1], roots[n], proof)).toBe(false);
        expect(verifyConsistency(m, n, roots[m], roots[n], proof.slice(0, -1))).toBe(false);
        expect(verifyConsistency(m, n, roots[m], roots[n], [...proof, roots[1]])).toBe(false);
        const bad = proof.map((p, i) => (i === 0 ? leafHash(p) : p));
        expect(verifyConsistency(m, n, roots[m], roots[n], bad)).toBe(false);
      }
    }
    // A fork: same size, other content.
    const forked = many.slice(0, 20).concat(leafHash(Buffer.from("other")), many.slice(21));
    const proof = await consistencyProof(15, 30, rangeHasherOf(forked));
    expect(verifyConsistency(15, 30, roots[15], roots[30], proof)).toBe(false);
  });

  it("keeps a frontier that serializes, reports its ranges and matches the full root", () => {
    const f = new Frontier();
    const many = Array.from({ length: 13 }, (_, i) => leafHash(Buffer.from([i])));
    for (const l of many) f.push(l);
    expect(f.size).toBe(13);
    expect(f.ranges()).toEqual([
      [0, 8],
      [8, 12],
      [12, 13],
    ]);
    expect(f.root().equals(rootOf(many))).toBe(true);
    const back = Frontier.parse(13, f.serialize());
    back.push(leafHash(Buffer.from([13])));
    expect(back.root().equals(rootOf([...many, leafHash(Buffer.from([13]))]))).toBe(true);
    expect(() => new Frontier(3, [EMPTY_ROOT])).toThrow(RangeError);
    expect(() => Frontier.parse(1, '{"a":1}')).toThrow(RangeError);
  });
});
