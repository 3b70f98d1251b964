import { describe, expect, it } from "vitest";
import { parsePlan } from "./parse-plan.js";

describe("parsePlan", () => {
  it("reads a JSON plan, in a code fence or after prose", () => {
    const json = '{"steps":[{"id":"s1","tool":"find","args":{"city":"Berlin"}}]}';
    for (const text of [json, "```json\n" + json + "\n```", `Here is the plan:\n${json}`]) {
      expect(parsePlan({ kind: "text", text }).plan).toEqual({
        steps: [{ id: "s1", tool: "find", args: { city: "Berlin" } }],
        mode: "json",
      });
    }
  });

  it("numbers native tool calls s1..sN", () => {
    const parsed = parsePlan({
      kind: "tool-calls",
      calls: [
        { toolName: "a", input: {} },
        { toolName: "b", input: { x: 1 } },
      ],
    });
    expect(parsed.plan?.steps.map((s) => s.id)).toEqual(["s1", "s2"]);
    expect(parsed.plan?.mode).toBe("tool-calls");
  });

  it("treats an empty steps list and no tool calls as the empty plan", () => {
    expect(parsePlan({ kind: "text", text: '{"steps": []}' }).plan?.steps).toEqual([]);
    expect(parsePlan({ kind: "tool-calls", calls: [] }).plan?.steps).toEqual([]);
  });

  it("explains malformed output", () => {
    const cases: Array<[string, RegExp]> = [
      ["", /empty/],
      ["I think we should look it up", /not valid JSON/],
      ['{"plan": []}', /"steps" array/],
      ['{"steps": [1]}', /step 1 must be an object/],
      ['{"steps": [{"tool": "x", "args": [1]}]}', /not a JSON object/],
      ["x".repeat(300_000), /characters long/],
    ];
    for (const [text, message] of cases) {
      const parsed = parsePlan({ kind: "text", text });
      expect(parsed.plan).toBeUndefined();
      expect(parsed.issues[0].message).toMatch(message);
    }
  });
});
