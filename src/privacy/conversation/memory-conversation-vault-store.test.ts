import { describe, expect, it } from "vitest";
import { conversationVaultStoreContract } from "../../../test/contracts/conversation-vault-store-contract.js";
import { MemoryConversationVaultStore } from "./memory-conversation-vault-store.js";

conversationVaultStoreContract("in memory", { create: async () => new MemoryConversationVaultStore() });

describe("MemoryConversationVaultStore bounds", () => {
  const later = Date.now() + 60_000;
  it("keeps at most maxConversations, dropping the least recently used", async () => {
    const store = new MemoryConversationVaultStore({ maxConversations: 2 });
    await store.save("a", [{ placeholder: "<ID_1>", type: "ID", value: "a1" }], later);
    await store.save("b", [{ placeholder: "<ID_1>", type: "ID", value: "b1" }], later);
    await store.load("a", later);
    await store.save("c", [{ placeholder: "<ID_1>", type: "ID", value: "c1" }], later);
    expect(await store.load("b", later)).toEqual([]);
    expect(await store.load("a", later)).toHaveLength(1);
  });

  it("keeps at most maxEntriesPerConversation", async () => {
    const store = new MemoryConversationVaultStore({ maxEntriesPerConversation: 2 });
    await store.save(
      "a",
      [1, 2, 3].map((n) => ({ placeholder: `<ID_${n}>`, type: "ID", value: `v${n}` })),
      later,
    );
    expect((await store.load("a", later)).map((e) => e.placeholder)).toEqual(["<ID_1>", "<ID_2>"]);
  });
});

describe("PlaceholderVault.adopt", () => {
  it("takes over stored placeholders and numbers new ones after them", async () => {
    const { PlaceholderVault } = await import("../placeholder-vault.js");
    const vault = new PlaceholderVault();
    vault.adopt([
      { placeholder: "<PERSON_1>", type: "PERSON", value: "Maria Keller" },
      { placeholder: "<PERSON_3>", type: "PERSON", value: "Jon Smith" },
      { placeholder: "<PERSON_2>", type: "PERSON", value: "maria keller" }, // same value: skipped
      { placeholder: "<EMAIL_9>", type: "PERSON", value: "odd" }, // type does not match: skipped
    ]);
    expect(vault.placeholderFor("PERSON", "MARIA KELLER")).toBe("<PERSON_1>");
    expect(vault.placeholderFor("PERSON", "Olivia Green")).toBe("<PERSON_4>");
    expect(vault.lookup("<PERSON_3>")).toBe("Jon Smith");
    expect(vault.lookup("<EMAIL_9>")).toBeUndefined();
  });
});
