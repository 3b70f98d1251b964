import { describe, expect, it } from "vitest";
import { makeRecord } from "../../test/contracts/trace-store-contract.js";
import { capRecord } from "./cap-record.js";

describe("capRecord", () => {
  it("returns a record that fits unchanged (same object)", () => {
    const r = makeRecord("a");
    const out = capRecord(r, 1_000_000);
    expect(out.record).toBe(r);
    expect(out.bytes).toBe(Buffer.byteLength(JSON.stringify(r)));
  });

  it("cuts strings fairly: a huge one does not crowd out a mid-sized one", () => {
    const r = makeRecord("b", { prompt: "p".repeat(20_000) });
    r.answer = "a".repeat(500_000);
    const out = capRecord(r, 32 * 1024);
    expect(out.bytes).toBeLessThanOrEqual(32 * 1024);
    const keptPrompt = out.record.prompt!.indexOf("…");
    const keptAnswer = out.record.answer!.indexOf("…");
    expect(keptPrompt).toBeGreaterThan(5000);
    expect(Math.abs(keptPrompt - keptAnswer)).toBeLessThan(100);
    expect(out.record.truncated?.originalBytes).toBeGreaterThan(500_000);
    expect(r.answer.length).toBe(500_000); // the input is not modified
  });

  it("measures multi-byte text in bytes and never splits a surrogate pair", () => {
    const r = makeRecord("c", { prompt: "😀é".repeat(50_000) });
    const out = capRecord(r, 16 * 1024);
    expect(out.bytes).toBeLessThanOrEqual(16 * 1024);
    expect(out.json).not.toMatch(/\\ud83d(?!\\ude00)/i);
    expect(out.record.prompt).toMatch(/^(😀é)+😀?…\[cut/u);
  });

  it("drops arguments and bodies, then the plan, when many small strings cannot be cut enough", () => {
    const r = makeRecord("d");
    const args = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    r.trace.steps = Array.from({ length: 40 }, (_, i) => ({
      id: `s${i}`,
      tool: "t",
      args,
      status: "ok" as const,
      durationMs: 1,
    }));
    const out = capRecord(r, 8 * 1024);
    expect(out.bytes).toBeLessThanOrEqual(8 * 1024);
    expect(out.record).toMatchObject({ id: "d", status: "ok", userId: "alice" });
    expect(out.record.truncated).toBeDefined();
  });
});
