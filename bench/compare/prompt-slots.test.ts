import { describe, expect, it } from "vitest";
import { approximateTokenCounter } from "../../src/context/token-counter.js";
import { commonPrefix, PromptSlots, renderChatPrompt } from "./prompt-slots.js";

const tokens = (text: string) => approximateTokenCounter.count(text);
const SYSTEM = "You answer the user's question using only the lookup results in the context. ".repeat(5);
const prompt = (question: string, context = "") =>
  renderChatPrompt([
    { role: "system", content: SYSTEM },
    { role: "user", content: `Question: ${question}\n\nContext:\n${context}` },
  ]);

describe("llama.cpp-style prompt slots (bench model)", () => {
  it("charges prefill only past the common prefix with the slot's last request", async () => {
    const slots = new PromptSlots(1);
    const first = await slots.acquire(prompt("Who is employee 2?"));
    expect(first.cachedTokens).toBe(0);
    first.release(" She is Nancy.");
    const warm = prompt("Who is employee 2?", "[s1] get_employee(employee_id=2)\nFirstName | Nancy");
    const second = await slots.acquire(warm);
    const shared = commonPrefix(prompt("Who is employee 2?"), warm);
    expect(second.cachedTokens).toBe(tokens(warm.slice(0, shared)));
    expect(second.cachedTokens).toBeGreaterThan(second.promptTokens / 2);
    second.release("");
    // The same prompt again: everything but the last token is cached.
    const again = await slots.acquire(warm);
    expect(again.cachedTokens).toBe(again.promptTokens - 1);
    again.release("");
    // cache_prompt: false evaluates it all.
    const cold = await slots.acquire(warm, { reuse: false });
    expect(cold.cachedTokens).toBe(0);
  });

  it("sends a request to the idle slot whose cache it shares most with, else the least recently used", async () => {
    const slots = new PromptSlots(3);
    const a = await slots.acquire(prompt("About Berlin?"));
    const b = await slots.acquire(prompt("About Prague?"));
    a.release("");
    b.release("");
    const toB = await slots.acquire(prompt("About Prague?", "[s1] rows"));
    expect(toB.slot).toBe(b.slot);
    toB.release("");
    // Unrelated text (below the 10 % similarity): the slot never used, then the oldest.
    const other = renderChatPrompt([{ role: "user", content: "x".repeat(10) }]);
    const fresh = await slots.acquire(other);
    expect([a.slot, b.slot]).not.toContain(fresh.slot);
    expect(fresh.cachedTokens).toBe(0);
    fresh.release("");
    const oldest = await slots.acquire(`${other}?`);
    expect(oldest.slot).toBe(fresh.slot); // it shares the prefix with the slot just used
  });

  it("makes requests wait, first come first served, while every slot is busy", async () => {
    const slots = new PromptSlots(1);
    const holder = await slots.acquire(prompt("one"));
    const order: string[] = [];
    const second = slots.acquire(prompt("two")).then((g) => {
      order.push("two");
      return g;
    });
    const third = slots.acquire(prompt("three")).then((g) => {
      order.push("three");
      return g;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(order).toEqual([]);
    holder.release("");
    const g2 = await second;
    expect(g2.waitedMs).toBeGreaterThanOrEqual(25);
    expect(order).toEqual(["two"]);
    g2.release("");
    (await third).release("");
    expect(order).toEqual(["two", "three"]);
  });

  it("honours id_slot", async () => {
    const slots = new PromptSlots(2);
    const g = await slots.acquire(prompt("q"), { slot: 1 });
    expect(g.slot).toBe(1);
    const pinned = slots.acquire(prompt("q"), { slot: 1 });
    const any = await slots.acquire(prompt("other"));
    expect(any.slot).toBe(0);
    g.release("");
    expect((await pinned).slot).toBe(1);
  });
});
