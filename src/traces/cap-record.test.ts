import { describe, expect, it } from "vitest";
import { makeRecord } from "../../test/helpers/run-records.js";
import { capRecord } from "./cap-record.js";
import type { RunRecord } from "./run-record.js";

const parse = (json: string) => JSON.parse(json) as RunRecord;

describe("capRecord", () => {
  it("stores a record that fits as it is", () => {
    const r = makeRecord("a");
    const out = capRecord(r, 1_000_000);
    expect(out.json).toBe(JSON.stringify(r));
    expect(out.bytes).toBe(Buffer.byteLength(out.json));
    expect(out.originalBytes).toBeUndefined();
  });

  it("cuts strings fairly: a huge one does not crowd out a mid-sized one", () => {
    const r = makeRecord("b", { prompt: "p".repeat(20_000) });
    r.answer = "a".repeat(500_000);
    const out = capRecord(r, 32 * 1024);
    expect(out.bytes).toBeLessThanOrEqual(32 * 1024);
    expect(out.bytes).toBeGreaterThan(28 * 1024); // cut close to the limit, not far below it
    const back = parse(out.json);
    const keptPrompt = back.prompt!.indexOf("…");
    const keptAnswer = back.answer!.indexOf("…");
    expect(keptPrompt).toBeGreaterThan(5000);
    expect(Math.abs(keptPrompt - keptAnswer)).toBeLessThan(100);
    expect(back.truncated?.originalBytes).toBe(out.originalBytes);
    expect(out.originalBytes).toBeGreaterThan(500_000);
    expect(back.id).toBe("b");
    expect(r.answer.length).toBe(500_000); // the input is not modified
    expect(r.truncated).toBeUndefined();
  });

  it("counts JSON escapes and multi-byte text in bytes, and never splits a surrogate pair", () => {
    const r = makeRecord("c", { prompt: '😀é"\n\u0001'.repeat(30_000) });
    const out = capRecord(r, 16 * 1024);
    expect(out.bytes).toBeLessThanOrEqual(16 * 1024);
    expect(out.bytes).toBeGreaterThan(12 * 1024);
    expect(out.json).not.toMatch(/\\ud83d(?!\\ude00)/i);
    expect(parse(out.json).prompt).toMatch(/^(😀é"\n\u0001)+(😀|😀é|😀é"|😀é"\n)?…\[cut/u);
  });

  it("cuts a string shared by several fields in each of them", () => {
    const r = makeRecord("d");
    const big = "x".repeat(100_000);
    r.prompt = big;
    r.trace.plannerPrompt = big;
    const back = parse(capRecord(r, 16 * 1024).json);
    expect(back.prompt).toBe(back.trace.plannerPrompt);
    expect(back.prompt!.length).toBeLessThan(8000);
  });

  it("drops arguments and bodies, then the plan, when many small values cannot be cut enough", () => {
    const r = makeRecord("e");
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
    expect(parse(out.json)).toMatchObject({ id: "e", status: "ok", userId: "alice", truncated: {} });
  });

  it("walks deeply nested arguments without overflowing the stack", () => {
    const r = makeRecord("f", { prompt: "q".repeat(50_000) });
    let deep: Record<string, unknown> = { leaf: "z".repeat(1000) };
    for (let i = 0; i < 3000; i++) deep = { d: deep };
    r.trace.steps[0] = { ...r.trace.steps[0], args: deep };
    const out = capRecord(r, 32 * 1024);
    expect(out.bytes).toBeLessThanOrEqual(32 * 1024);
  });
});
