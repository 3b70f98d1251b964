/**
 * Shared contract for conversation vault stores (issue 17): in memory for one process, PostgreSQL
 * for replicas. What a privacy session relies on to keep a conversation's placeholders stable
 * across turns served by different processes.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationVaultStore } from "../../src/privacy/conversation/conversation-vault-store.js";
import type { VaultEntry } from "../../src/privacy/placeholder-vault.js";

export interface ConversationVaultStoreContractOptions {
  /** A new, empty store each call. The contract closes each store it created. */
  create: () => Promise<ConversationVaultStore>;
  /** A second handle on the same data (another replica), when the store is shared. */
  openAnother?: (store: ConversationVaultStore) => Promise<ConversationVaultStore>;
  skip?: boolean;
}

export function conversationVaultStoreContract(
  name: string,
  options: ConversationVaultStoreContractOptions,
): void {
  describe.skipIf(options.skip)(`ConversationVaultStore contract: ${name}`, () => {
    const opened: ConversationVaultStore[] = [];
    const track = (store: ConversationVaultStore) => {
      opened.push(store);
      return store;
    };
    const fresh = async () => track(await options.create());
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close().catch(() => undefined);
    });
    const hour = 3_600_000;
    const later = () => Date.now() + hour;
    const e = (
      placeholder: string,
      value: string,
      type = placeholder.replace(/^<|_\d+>$/g, ""),
    ): VaultEntry => ({
      placeholder,
      type,
      value,
    });

    it("returns saved placeholders in the order they were issued, across saves", async () => {
      const store = await fresh();
      expect(await store.load("c1", later())).toEqual([]);
      await store.save("c1", [e("<PERSON_1>", "Maria Keller"), e("<EMAIL_1>", "maria@example.com")], later());
      await store.save("c1", [e("<PERSON_2>", "Zoë Ørsted-Łukasiewicz")], later());
      expect(await store.load("c1", later())).toEqual([
        e("<PERSON_1>", "Maria Keller"),
        e("<EMAIL_1>", "maria@example.com"),
        e("<PERSON_2>", "Zoë Ørsted-Łukasiewicz"),
      ]);
    });

    it("keeps conversations apart", async () => {
      const store = await fresh();
      await store.save("c1", [e("<PERSON_1>", "Maria Keller")], later());
      await store.save("c2", [e("<PERSON_1>", "Jon Smith")], later());
      expect((await store.load("c1", later()))[0]!.value).toBe("Maria Keller");
      expect((await store.load("c2", later()))[0]!.value).toBe("Jon Smith");
    });

    it("the first writer of a placeholder wins", async () => {
      const store = await fresh();
      await store.save("c1", [e("<PERSON_1>", "Maria Keller")], later());
      await store.save("c1", [e("<PERSON_1>", "Someone Else"), e("<PERSON_2>", "Jon Smith")], later());
      expect(await store.load("c1", later())).toEqual([
        e("<PERSON_1>", "Maria Keller"),
        e("<PERSON_2>", "Jon Smith"),
      ]);
    });

    it("concurrent saves of different placeholders are all kept", async () => {
      const store = await fresh();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.save("c1", [e(`<ID_${i + 1}>`, `value ${i}`)], later())),
      );
      expect(new Set((await store.load("c1", later())).map((x) => x.placeholder)).size).toBe(20);
    });

    it("expires a conversation at its expiry, which loading pushes on; prune deletes it", async () => {
      const store = await fresh();
      const now = Date.now();
      await store.save("short", [e("<PERSON_1>", "Maria Keller")], now + 1_500);
      await store.save("kept", [e("<PERSON_1>", "Jon Smith")], now + 1_500);
      expect(await store.load("kept", now + hour)).toHaveLength(1); // in use: pushed to an hour
      await new Promise((r) => setTimeout(r, Math.max(0, now + 1_600 - Date.now())));
      expect(await store.load("short", later())).toEqual([]);
      expect(await store.load("kept", later())).toHaveLength(1);
      await store.save("short", [e("<PERSON_1>", "A New Person")], later());
      expect(await store.load("short", later())).toEqual([e("<PERSON_1>", "A New Person")]);
      expect(await store.prune(now + 10 * hour)).toBeGreaterThanOrEqual(2);
      expect(await store.load("kept", later())).toEqual([]);
    });

    it("forgets one conversation", async () => {
      const store = await fresh();
      await store.save("c1", [e("<PERSON_1>", "Maria Keller")], later());
      await store.save("c2", [e("<PERSON_1>", "Jon Smith")], later());
      await store.forget("c1");
      expect(await store.load("c1", later())).toEqual([]);
      expect(await store.load("c2", later())).toHaveLength(1);
    });

    it.skipIf(!options.openAnother)("another replica reads what one saved", async () => {
      const a = await fresh();
      const b = track(await options.openAnother!(a));
      await a.save("c1", [e("<PERSON_1>", "Maria Keller")], later());
      expect(await b.load("c1", later())).toEqual([e("<PERSON_1>", "Maria Keller")]);
      await b.save("c1", [e("<PERSON_2>", "Jon Smith")], later());
      expect((await a.load("c1", later())).map((x) => x.placeholder)).toEqual(["<PERSON_1>", "<PERSON_2>"]);
    });

    it("refuses to work once closed", async () => {
      const store = await fresh();
      await store.close();
      await expect(store.load("c1", later())).rejects.toThrow();
      await expect(store.save("c1", [e("<PERSON_1>", "x")], later())).rejects.toThrow();
    });
  });
}
