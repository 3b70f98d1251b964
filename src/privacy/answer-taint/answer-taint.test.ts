import { describe, expect, it } from "vitest";
import { longPrompt } from "../../../test/helpers/long-prompt.js";
import { ANSWER_TEXT, AnswerTaint, isTaintWorthy, RESULT_VALUE, withoutEcho } from "./answer-taint.js";
import { MemoryAnswerTaintStore } from "./memory-answer-taint-store.js";

const gift = {
  runId: "run-7",
  results: [
    {
      stepId: "s1",
      output: {
        rows: [
          {
            name: "Maria Keller",
            email: "maria.keller@acme.de",
            total: 1234.56,
            status: "shipped",
            year: 2013,
          },
        ],
      },
    },
  ],
  answer: "Maria Keller ordered twice in 2013; her invoices total 1,234.56 EUR across both orders.",
};

describe("AnswerTaint", () => {
  it("taints what a run gave a subject, for that subject only, as spans that restore the value", async () => {
    const taint = new AnswerTaint({ store: new MemoryAnswerTaintStore() });
    await taint.record("alice", gift);
    const alice = await taint.index("alice");
    const spans = alice.match(
      "title for: USER: who is maria keller? ASSISTANT: maria.keller@acme.de, 1234.56",
    );
    expect(spans.map((s) => [s.type, s.value, s.original])).toEqual([
      [RESULT_VALUE, "maria keller", "Maria Keller"],
      [RESULT_VALUE, "maria.keller@acme.de", "maria.keller@acme.de"],
      [RESULT_VALUE, "1234.56", "1234.56"],
    ]);
    // A quote of the answer is caught as answer text.
    expect(
      alice.match("you said: ordered twice in 2013; her invoices total 1,234.56 EUR").map((s) => s.type),
    ).toContain(ANSWER_TEXT);
    expect((await taint.index("bob")).match("Maria Keller, 1234.56")).toEqual([]);
  });

  it("leaves values every prompt may contain: small numbers, years, dates, ordinary words", () => {
    expect(
      [2013, 42, "2013", "2024-03-01", "2024-03-01T10:00:00Z", "shipped", "Rock", true].map((v) =>
        isTaintWorthy(v as never),
      ),
    ).toEqual([false, false, false, false, false, false, false, false]);
    expect(
      [1234.56, 4711, "Maria Keller", "Keller", "INV-2013-0042", "maria.keller@acme.de"].map(isTaintWorthy),
    ).toEqual([true, true, true, true, true, true]);
  });

  it("sees values recorded later (by any writer of the store) and forgets them after the taint window", async () => {
    let now = 1_000_000;
    const store = new MemoryAnswerTaintStore();
    const taint = new AnswerTaint({ store, ttlMs: 60_000, now: () => now });
    await taint.record("alice", gift);
    expect((await taint.index("alice")).match("Maria Keller")).toHaveLength(1);
    // Another replica records a value: the next lookup picks it up incrementally.
    const other = new AnswerTaint({ store, ttlMs: 120_000, now: () => now });
    await other.record("alice", {
      runId: "run-8",
      results: [{ stepId: "s1", output: ["Jonathan Whitfield"] }],
    });
    expect((await taint.index("alice")).match("Jonathan Whitfield")).toHaveLength(1);
    now += 61_000;
    const later = await taint.index("alice");
    expect(later.match("Maria Keller")).toEqual([]);
    expect(later.match("Jonathan Whitfield")).toHaveLength(1);
    now += 60_000;
    expect((await taint.index("alice")).match("Jonathan Whitfield")).toEqual([]);
  });

  it("fails when its store fails (callers then refuse the request: fail closed)", async () => {
    const store = new MemoryAnswerTaintStore();
    const taint = new AnswerTaint({ store });
    await store.close();
    await expect(taint.index("alice")).rejects.toThrow();
    await expect(taint.record("alice", gift)).rejects.toThrow();
  });
});

describe("withoutEcho", () => {
  it("drops every stretch of five or more words repeated from the prompt, keeps the rest", () => {
    const prompt = "Who is the account manager for Maria Keller in Lisbon this year?";
    const answer =
      "You asked who is the account manager for Maria Keller: it is Jonas Brandt, reachable at extension 4411.";
    expect(withoutEcho(answer, prompt)).toEqual([
      "You asked",
      "it is Jonas Brandt, reachable at extension 4411",
    ]);
    // Two stretches each from a different place of the prompt are both echoes.
    expect(withoutEcho("for Maria Keller in Lisbon who is the account manager", prompt)).toEqual([]);
    expect(withoutEcho("Jonas Brandt is new here", prompt)).toEqual(["Jonas Brandt is new here"]);
  });

  it("handles a 20 KB prompt echoed whole (one pass over each text)", () => {
    const prompt = longPrompt(20_000);
    expect(withoutEcho(`From the records: ${prompt} Done, Jonas.`, prompt)).toEqual([
      "From the records",
      "Done, Jonas",
    ]);
  });
});
