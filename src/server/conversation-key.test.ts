import { describe, expect, it } from "vitest";
import { conversationKey } from "./conversation-key.js";

const req = (prompt: string, history: Array<{ role: "user" | "assistant"; content: string }> = []) => ({
  prompt,
  history,
  stream: false,
  includeUsage: false,
});

describe("conversationKey", () => {
  it("is the same for every turn of a conversation, per user", () => {
    const t1 = conversationKey("alice", req("Who is Maria Keller?"));
    const t2 = conversationKey(
      "alice",
      req("And her e-mail?", [
        { role: "user", content: "Who is Maria Keller?" },
        { role: "assistant", content: "A customer." },
      ]),
    );
    expect(t2).toBe(t1);
    expect(conversationKey("bob", req("Who is Maria Keller?"))).not.toBe(t1);
    expect(conversationKey("alice", req("Who is Jon Smith?"))).not.toBe(t1);
    expect(t1).not.toContain("Maria");
  });

  it("uses the client's conversation id when it sends one", () => {
    expect(conversationKey("alice", req("one"), "chat-42")).toBe(
      conversationKey("alice", req("two"), "chat-42"),
    );
    expect(conversationKey("alice", req("one"), "chat-42")).not.toBe(
      conversationKey("bob", req("one"), "chat-42"),
    );
  });
});
