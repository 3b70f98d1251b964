import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool } from "../tools/define-tool.js";
import type { Plan } from "../core/plan.js";
import { validatePlan } from "./validate-plan.js";

const tools = new Map(
  [
    defineTool({
      name: "find",
      description: "d",
      input: z.object({ city: z.string(), limit: z.number().int().max(100).optional() }),
      run: async () => 1,
    }),
    defineTool({
      name: "invoices",
      description: "d",
      input: z.object({ customer_id: z.number() }),
      run: async () => 1,
    }),
    defineTool({
      name: "json_schema_tool",
      description: "d",
      input: {
        type: "object",
        properties: { ids: { type: "array", items: { type: "integer" } } },
        required: ["ids"],
        additionalProperties: false,
      },
      run: async () => 1,
    }),
  ].map((t) => [t.name, t]),
);
const plan = (steps: Plan["steps"]): Plan => ({ steps, mode: "json" });
const kinds = (p: Plan, maxSteps = 10, checkString?: (v: string) => string | undefined) =>
  validatePlan(p, tools, { maxSteps, checkString }).map((i) => i.kind);

describe("validatePlan", () => {
  it("accepts a valid plan with references as wildcards in the schema check", () => {
    const p = plan([
      { id: "s1", tool: "find", args: { city: "Berlin" } },
      { id: "s2", tool: "invoices", args: { customer_id: { $ref: "s1", path: "rows[0].id" } } },
      { id: "s3", tool: "json_schema_tool", args: { ids: { $ref: "s1", path: "rows[*].id" } } },
    ]);
    expect(validatePlan(p, tools, { maxSteps: 10 })).toEqual([]);
  });

  it("reports each bad-plan kind with its own issue", () => {
    expect(kinds(plan([{ id: "s1", tool: "delete_all", args: {} }]))).toEqual(["unknown-tool"]);
    expect(kinds(plan([{ id: "s1", tool: "find", args: { city: 3 } }]))).toEqual(["invalid-args"]);
    expect(kinds(plan([{ id: "s1", tool: "find", args: {} }]))).toEqual(["invalid-args"]);
    expect(kinds(plan([{ id: "s1", tool: "json_schema_tool", args: { ids: [1], extra: true } }]))).toEqual([
      "invalid-args",
    ]);
    expect(kinds(plan([{ id: "s1", tool: "invoices", args: { customer_id: { $ref: "s7" } } }]))).toEqual([
      "missing-ref",
    ]);
    expect(
      kinds(
        plan([
          { id: "s1", tool: "find", args: { city: "x" } },
          { id: "s2", tool: "invoices", args: { customer_id: { $ref: "s1", path: "rows[" } } },
        ]),
      ),
    ).toEqual(["bad-path"]);
    expect(
      kinds(
        plan([
          { id: "s1", tool: "invoices", args: { customer_id: { $ref: "s2" } } },
          { id: "s2", tool: "invoices", args: { customer_id: { $ref: "s1" } } },
        ]),
      ),
    ).toEqual(["cycle"]);
    expect(
      kinds(
        plan([
          { id: "s1", tool: "find", args: { city: "a" } },
          { id: "s1", tool: "find", args: { city: "b" } },
        ]),
      ),
    ).toEqual(["duplicate-id"]);
    expect(
      kinds(
        plan(Array.from({ length: 3 }, (_, i) => ({ id: `s${i + 1}`, tool: "find", args: { city: "x" } }))),
        2,
      ),
    ).toEqual(["too-many-steps"]);
    expect(
      kinds(plan([{ id: "s1", tool: "find", args: { city: "<PERSON_9>" } }]), 10, (v) =>
        v.includes("<PERSON_9>") ? "unknown placeholder" : undefined,
      ),
    ).toEqual(["unknown-placeholder"]);
  });

  it("describes issues with plan and schema facts only", () => {
    const issues = validatePlan(plan([{ id: "s1", tool: "find", args: { city: 42, limit: 500 } }]), tools, {
      maxSteps: 10,
    });
    const text = issues.map((i) => i.message).join("\n");
    expect(text).toContain("/city");
    expect(text).toContain("/limit");
    expect(text).toContain("step s1 (find)");
  });

  it("still checks literal arguments next to a reference", () => {
    const p = plan([
      { id: "s1", tool: "find", args: { city: "x" } },
      { id: "s2", tool: "find", args: { city: { $ref: "s1", path: "rows[0].city" }, limit: "ten" } },
    ]);
    expect(kinds(p)).toEqual(["invalid-args"]);
  });
});

/** `{"k": [{"k": …"x"…}]}` `depth` levels deep, built without recursion. */
function deep(depth: number, leaf: unknown = "x"): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? { k: v } : [v];
  return v;
}

describe("validatePlan on hostile plans (bounded whatever the plan)", () => {
  it("refuses arguments nested 100,000 levels deep with an issue, without walking them", () => {
    const issues = validatePlan(plan([{ id: "s1", tool: "find", args: { city: deep(100_000) } }]), tools, {
      maxSteps: 10,
      checkString: () => undefined,
    });
    expect(issues).toEqual([
      expect.objectContaining({
        kind: "malformed",
        message: expect.stringMatching(/nested more than 32 levels deep/),
      }),
    ]);
  });

  it("finds a reference 30 levels down and a cycle through a 5,000-step chain", () => {
    const p = plan([
      { id: "s1", tool: "find", args: { city: "Berlin" } },
      { id: "s2", tool: "json_schema_tool", args: { ids: deep(30, { $ref: "s9" }) as never } },
    ]);
    expect(kinds(p)).toContain("missing-ref");
    const chain = plan(
      Array.from({ length: 5_000 }, (_, i) => ({
        id: `s${i + 1}`,
        tool: "invoices",
        args: { customer_id: { $ref: `s${i === 4_999 ? 1 : i + 2}`, path: "id" } },
      })),
    );
    const issues = validatePlan(chain, tools, { maxSteps: 5_000 });
    expect(issues.at(-1)?.kind).toBe("cycle");
  });

  it("10,000 unknown-tool steps: only the first maxSteps are checked, a bounded list of short issues", () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => ({
      id: `s${i + 1}`,
      tool: `nope_${"x".repeat(500)}`,
      args: {},
    }));
    const issues = validatePlan(plan(steps), tools, { maxSteps: 20 });
    expect(issues[0].kind).toBe("too-many-steps");
    expect(issues.length).toBeLessThanOrEqual(21);
    expect(issues.at(-1)?.message).toMatch(/^and \d+ more problems not listed \(\d+ unknown-tool\)/);
    // The tool list appears once, and the 500-character tool name is clipped.
    expect(issues.filter((i) => i.message.includes("available:")).length).toBe(1);
    expect(JSON.stringify(issues).length).toBeLessThan(6_000);
  });
});
