/**
 * The witness over real HTTP on 127.0.0.1, driven by the protocol client: every answer the C2SP
 * tlog-witness spec defines (200, 400, 403, 404, 409 with the size, 409 fork, 422), state that
 * survives a restart, and refused-but-signed requests kept as evidence.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { consistencyProof, Frontier, type Hash, leafHash, rangeHasherOf } from "../merkle.js";
import { noteSigner, SIG_COSIGNATURE_V1 } from "../signed-note.js";
import { TreeHeadSigner } from "../tree-head.js";
import {
  addCheckpoint,
  addCheckpointBody,
  fetchWitnessedCheckpoint,
  fetchWitnessInfo,
  SIZE_CONTENT_TYPE,
} from "./witness-client.js";
import { type RunningWitness, startWitnessServer } from "./witness-server.js";

const logKey = generateKeyPairSync("ed25519").privateKey;
const log = new TreeHeadSigner(logKey, "example.com/flm-audit-test");
const witnessSigner = noteSigner(
  "witness.example/w1",
  SIG_COSIGNATURE_V1,
  generateKeyPairSync("ed25519").privateKey,
);
const leaves: Hash[] = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`record ${i}`)));

function headOf(size: number, tree = leaves, signer = log) {
  const f = new Frontier();
  for (const l of tree.slice(0, size)) f.push(l);
  return signer.sign(f, "test");
}

describe("flm witness (C2SP tlog-witness) over HTTP", () => {
  let dir: string;
  let w: RunningWitness;
  const start = async () =>
    startWitnessServer({
      signer: witnessSigner,
      dbPath: join(dir, "witness.sqlite"),
      logs: [{ origin: log.origin, keys: [log.vkey] }],
      port: 0,
    });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "flm-witness-"));
    w = await start();
  });
  afterEach(async () => {
    await w.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const submit = async (oldSize: number, size: number, tree = leaves, signer = log) =>
    addCheckpoint(
      w.url,
      oldSize,
      await consistencyProof(oldSize, size, rangeHasherOf(tree)),
      headOf(size, tree, signer).note,
      witnessSigner.verifier,
    );
  const raw = (body: string) => fetch(`${w.url}/add-checkpoint`, { method: "POST", body });

  it("co-signs a first checkpoint, then only consistent growth, and serves what it co-signed", async () => {
    expect(await submit(0, 10)).toMatchObject({ status: "cosigned" });
    const r = await submit(10, 25);
    expect(r.status).toBe("cosigned");
    const latest = await fetchWitnessedCheckpoint(w.url, log.origin);
    expect(latest).toContain(`${log.origin}\n25\n`);
    expect(latest).toContain(`\u2014 ${log.origin} `);
    expect(latest).toContain(`\u2014 witness.example/w1 `);
    expect(await fetchWitnessedCheckpoint(w.url, "other.example/log")).toBeUndefined();
    const info = await fetchWitnessInfo(w.url);
    expect(info).toMatchObject({ name: "witness.example/w1", vkey: witnessSigner.verifier.vkey });
    expect(info.logs).toEqual([{ origin: log.origin, keys: [log.vkey], size: 25 }]);
  });

  it("answers 409 with its size (text/x.tlog.size) to a stale old size, and the client learns it", async () => {
    await submit(0, 10);
    const res = await raw(addCheckpointBody(5, [], headOf(12).note));
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toBe(SIZE_CONTENT_TYPE);
    expect(await res.text()).toBe("10\n");
    expect(await submit(0, 12)).toEqual({ status: "conflict", size: 10 });
  });

  it("refuses a fork: same size with another root (409), or growth that is not consistent (422)", async () => {
    await submit(0, 20);
    const forked = leaves.slice(0, 15).concat(leafHash(Buffer.from("rewritten")), leaves.slice(16));
    await expect(submit(20, 20, forked)).rejects.toMatchObject({ code: "AUDIT_WITNESS_FAILED", status: 409 });
    await expect(submit(20, 30, forked)).rejects.toMatchObject({ status: 422 });
    expect(w.state.evidence().map((e) => e.reason)).toEqual([
      "same size 20, different root",
      "consistency proof 20 -> 30 does not verify",
    ]);
    // Still at 20, and the honest log continues.
    expect(await submit(20, 30)).toMatchObject({ status: "cosigned" });
  });

  it("answers 404 for an unknown origin, 403 for a checkpoint under a swapped key, 400 for bad requests", async () => {
    const stranger = new TreeHeadSigner(generateKeyPairSync("ed25519").privateKey, "unknown.example/log");
    await expect(submit(0, 3, leaves, stranger)).rejects.toMatchObject({ status: 404 });
    const swapped = new TreeHeadSigner(generateKeyPairSync("ed25519").privateKey, log.origin);
    await expect(submit(0, 3, leaves, swapped)).rejects.toMatchObject({ status: 403 });
    expect((await raw(addCheckpointBody(9, [], headOf(3).note))).status).toBe(400); // old > size
    expect((await raw("old 0\nnot base64\n\nx")).status).toBe(400);
    expect((await raw(`old 01\n\n${headOf(3).note}`)).status).toBe(400);
    expect((await raw("x".repeat(70_000))).status).toBe(413);
    await expect(fetchWitnessedCheckpoint(w.url, log.origin)).resolves.toBeUndefined();
  });

  it("remembers what it co-signed across a restart (never co-signs a smaller tree afterwards)", async () => {
    await submit(0, 30);
    await w.close();
    w = await start();
    expect(await submit(0, 10)).toEqual({ status: "conflict", size: 30 });
    await expect(
      submit(30, 30, leaves.slice(0, 29).concat(leafHash(Buffer.from("x")))),
    ).rejects.toMatchObject({
      status: 409,
    });
    expect(await submit(30, 40)).toMatchObject({ status: "cosigned" });
  });

  it("serializes concurrent submissions: exactly one of two racing checkpoints from the same size wins", async () => {
    await submit(0, 10);
    const results = await Promise.allSettled([submit(10, 20), submit(10, 30)]);
    const statuses = results.map((r) => (r.status === "fulfilled" ? r.value.status : "rejected"));
    expect(statuses.filter((s) => s === "cosigned")).toHaveLength(1);
    expect(statuses.filter((s) => s === "conflict")).toHaveLength(1);
  });
});
