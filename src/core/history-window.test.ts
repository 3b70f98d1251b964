import { describe, expect, it } from "vitest";
import type { ChatTurn } from "./chat-turn.js";
import { recentTurns } from "./history-window.js";

const turns = (n: number, content = (i: number) => `turn ${i}`): ChatTurn[] =>
  Array.from({ length: n }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: content(i) }));

describe("recentTurns", () => {
  it("keeps the most recent turns within the turn and character budgets, oldest first", () => {
    const w = recentTurns(turns(10), { maxTurns: 3, maxChars: 1_000, maxTurnChars: 100 });
    expect(w.turns.map((t) => t.content)).toEqual(["turn 7", "turn 8", "turn 9"]);
    expect(w.dropped).toBe(7);
    const byChars = recentTurns(turns(10), { maxTurns: 10, maxChars: 13, maxTurnChars: 100 });
    expect(byChars.turns.map((t) => t.content)).toEqual(["turn 8", "turn 9"]);
  });

  it("filters by role and cuts overlong turns with a visible mark", () => {
    const long = turns(4, (i) => (i === 2 ? "x".repeat(500) : `t${i}`));
    const w = recentTurns(
      long,
      { maxTurns: 10, maxChars: 1_000, maxTurnChars: 50 },
      (t) => t.role === "user",
    );
    expect(w.turns.map((t) => t.content.length)).toEqual([2, 50]);
    expect(w.turns[1].content.endsWith("…")).toBe(true);
    expect(w).toMatchObject({ dropped: 0, clipped: 1 });
  });

  it("takes 40 turns out of 200,000 and counts the rest", () => {
    const w = recentTurns(turns(200_000), { maxTurns: 40, maxChars: 16_000, maxTurnChars: 2_000 });
    expect(w.turns.length).toBe(40);
    expect(w.turns[0].content).toBe("turn 199960");
    expect(w.dropped).toBe(199_960);
  });
});
