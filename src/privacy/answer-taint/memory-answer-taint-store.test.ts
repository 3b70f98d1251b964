import { describe, expect, it } from "vitest";
import { answerTaintStoreContract } from "../../../test/contracts/answer-taint-store-contract.js";
import { MemoryAnswerTaintStore } from "./memory-answer-taint-store.js";

answerTaintStoreContract("in memory", { create: async () => new MemoryAnswerTaintStore() });

describe("MemoryAnswerTaintStore bounds", () => {
  const entry = (value: string, expiresAt: number) => ({ value, type: "T", origin: "r/s1", expiresAt });

  it("keeps at most maxEntriesPerSubject, dropping the soonest to expire", async () => {
    const store = new MemoryAnswerTaintStore({ maxEntriesPerSubject: 3 });
    const now = Date.now();
    await store.add("a", [
      entry("late", now + 90_000),
      entry("soon", now + 10_000),
      entry("mid", now + 50_000),
    ]);
    await store.add("a", [entry("new", now + 60_000)]);
    expect((await store.read("a")).entries.map((e) => e.value)).toEqual(["late", "mid", "new"]);
    expect(store.dropped).toBe(1);
  });

  it("keeps at most maxSubjects, dropping the least recently written", async () => {
    const store = new MemoryAnswerTaintStore({ maxSubjects: 2 });
    const later = Date.now() + 60_000;
    await store.add("a", [entry("a1", later)]);
    await store.add("b", [entry("b1", later)]);
    await store.add("a", [entry("a2", later)]);
    await store.add("c", [entry("c1", later)]);
    expect((await store.read("b")).entries).toEqual([]);
    expect((await store.read("a")).entries).toHaveLength(2);
    expect(store.dropped).toBe(1);
  });
});
