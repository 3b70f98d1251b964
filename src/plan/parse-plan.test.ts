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

describe("parsePlan bounds the arguments' shape before anything walks them", () => {
  const nested = (depth: number) => `${"[".repeat(depth)}"x"${"]".repeat(depth)}`;

  it.each([
    ["json", 5_500],
    ["json", 60_000],
    ["compact", 5_500],
  ] as const)("%s plan nested %i levels deep: a malformed issue, no RangeError", (format, depth) => {
    const text =
      format === "json"
        ? `{"steps":[{"id":"s1","tool":"find","args":{"city":${nested(depth)}}}]}`
        : `s1 = find(city=${nested(depth)})`;
    const parsed = parsePlan({ kind: "text", text, format });
    expect(parsed.plan).toBeUndefined();
    expect(parsed.issues[0]).toMatchObject({
      kind: "malformed",
      message: expect.stringMatching(/nested more than 32 levels/),
    });
  });

  it("tool calls with deep arguments, and a plan with more than 10,000 values in all", () => {
    let input: unknown = "x";
    for (let i = 0; i < 5_000; i++) input = { k: input };
    expect(parsePlan({ kind: "tool-calls", calls: [{ toolName: "find", input }] }).issues[0].message).toMatch(
      /step 1 has arguments nested more than 32 levels deep/,
    );
    const wide = JSON.stringify({
      steps: [1, 2].map((i) => ({ id: `s${i}`, tool: "find", args: { v: Array(6_000).fill(0) } })),
    });
    expect(parsePlan({ kind: "text", text: wide }).issues[0].message).toMatch(
      /more than 10000 values in all/,
    );
  });
});
