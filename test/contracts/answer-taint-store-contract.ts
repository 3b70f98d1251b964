/**
 * Shared contract for answer-taint stores (issue 11, item 1): the in-memory store here, a
 * PostgreSQL store for replicas later. Everything `AnswerTaint` relies on: entries per subject,
 * in recording order, without duplicates, until they expire; incremental reads by cursor;
 * pruning; forgetting a subject; isolation between subjects.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { AnswerTaintStore, TaintEntry } from "../../src/privacy/answer-taint/answer-taint-store.js";

export interface AnswerTaintStoreContractOptions {
  /** A new, empty store each call. The contract closes each store it created. */
  create: () => Promise<AnswerTaintStore>;
  skip?: boolean;
}

export function answerTaintStoreContract(name: string, options: AnswerTaintStoreContractOptions): void {
  describe.skipIf(options.skip)(`AnswerTaintStore contract: ${name}`, () => {
    const opened: AnswerTaintStore[] = [];
    const fresh = async () => {
      const store = await options.create();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close().catch(() => undefined);
    });
    const hour = 3_600_000;
    const entry = (value: string, extra: Partial<TaintEntry> = {}): TaintEntry => ({
      value,
      type: "RESULT_VALUE",
      origin: "run-1/s1",
      expiresAt: Date.now() + hour,
      ...extra,
    });
    const values = async (store: AnswerTaintStore, subject: string, now?: number) =>
      (await store.read(subject, { now })).entries.map((e) => e.value);

    it("returns what was recorded for a subject, in recording order, with every field", async () => {
      const store = await fresh();
      const e1 = entry("Maria Keller", { origin: "run-1/s1", type: "RESULT_VALUE" });
      const e2 = entry("Invoice 1234 totals 56.78 EUR", { origin: "run-1/answer", type: "ANSWER_TEXT" });
      await store.add("alice", [e1]);
      await store.add("alice", [e2]);
      const { entries } = await store.read("alice");
      expect(entries).toEqual([e1, e2]);
      expect((await store.read("nobody")).entries).toEqual([]);
    });

    it("keeps subjects apart", async () => {
      const store = await fresh();
      await store.add("alice", [entry("alice's value")]);
      await store.add("bob", [entry("bob's value")]);
      await store.add("conv:42", [entry("conversation value")]);
      expect(await values(store, "alice")).toEqual(["alice's value"]);
      expect(await values(store, "bob")).toEqual(["bob's value"]);
      expect(await values(store, "conv:42")).toEqual(["conversation value"]);
    });

    it("leaves out expired entries, and prunes them", async () => {
      const store = await fresh();
      const now = Date.now();
      await store.add("alice", [
        entry("expires soon", { expiresAt: now + 1_000 }),
        entry("expires later", { expiresAt: now + hour }),
      ]);
      await store.add("bob", [entry("bob soon", { expiresAt: now + 1_000 })]);
      expect(await values(store, "alice", now)).toEqual(["expires soon", "expires later"]);
      expect(await values(store, "alice", now + 2_000)).toEqual(["expires later"]);
      expect(await store.prune(now + 2_000)).toBe(2);
      expect(await values(store, "alice", now)).toEqual(["expires later"]);
      expect(await values(store, "bob", now)).toEqual([]);
      expect(await store.prune(now + 2_000)).toBe(0);
    });

    it("stores a value once per type, keeping the later expiry", async () => {
      const store = await fresh();
      const now = Date.now();
      await store.add("alice", [entry("Maria Keller", { expiresAt: now + 10_000 })]);
      await store.add("alice", [entry("Maria Keller", { expiresAt: now + hour, origin: "run-2/s1" })]);
      await store.add("alice", [entry("Maria Keller", { expiresAt: now + 5_000 })]);
      await store.add("alice", [entry("Maria Keller", { type: "ANSWER_TEXT" })]);
      const { entries } = await store.read("alice", { now });
      expect(entries.map((e) => [e.value, e.type])).toEqual([
        ["Maria Keller", "RESULT_VALUE"],
        ["Maria Keller", "ANSWER_TEXT"],
      ]);
      expect(entries[0]!.expiresAt).toBe(now + hour);
      expect(await values(store, "alice", now + 20_000)).toEqual(["Maria Keller", "Maria Keller"]);
    });

    it("reads incrementally from a cursor", async () => {
      const store = await fresh();
      await store.add("alice", [entry("first"), entry("second")]);
      const one = await store.read("alice");
      expect(one.entries.map((e) => e.value)).toEqual(["first", "second"]);
      expect((await store.read("alice", { after: one.cursor })).entries).toEqual([]);
      await store.add("bob", [entry("someone else's")]);
      await store.add("alice", [entry("third"), entry("first")]);
      const two = await store.read("alice", { after: one.cursor });
      expect(two.entries.map((e) => e.value)).toEqual(["third"]);
      expect((await store.read("alice", { after: two.cursor })).entries).toEqual([]);
    });

    it("forgets one subject entirely", async () => {
      const store = await fresh();
      await store.add("alice", [entry("a1"), entry("a2")]);
      await store.add("bob", [entry("b1")]);
      await store.forget("alice");
      expect(await values(store, "alice")).toEqual([]);
      expect(await values(store, "bob")).toEqual(["b1"]);
    });

    it("round-trips unicode, long values and many entries; concurrent adds are all kept", async () => {
      const store = await fresh();
      const odd = [
        "Zoë Ørsted-Łukasiewicz",
        "日本語のテキスト",
        "emoji 😀 and \u200b zero width",
        "x".repeat(10_000),
      ];
      await store.add(
        "alice",
        odd.map((v) => entry(v)),
      );
      expect(await values(store, "alice")).toEqual(odd);
      const many = Array.from({ length: 3_000 }, (_, i) => entry(`value number ${i}`));
      await store.add("bob", many);
      expect((await store.read("bob")).entries).toHaveLength(3_000);
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.add("carol", [entry(`concurrent ${i}`)])));
      expect(new Set(await values(store, "carol")).size).toBe(20);
    });

    it("refuses to work once closed", async () => {
      const store = await fresh();
      await store.close();
      await expect(store.add("alice", [entry("x")])).rejects.toThrow();
      await expect(store.read("alice")).rejects.toThrow();
    });
  });
}
