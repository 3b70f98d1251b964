import { describe, expect, it } from "vitest";
import { contractTools } from "../testing/planner-contract.js";
import {
  CompactPlanReader,
  MAX_VALUE_DEPTH,
  parseCompactPlan,
  renderCompactPlan,
  renderCompactStep,
} from "./compact-plan.js";
import { parsePlan } from "./parse-plan.js";
import type { PlanStep } from "../core/plan.js";
import { validatePlan } from "./validate-plan.js";

const PLAN = `s1 = find_customer(name="<PERSON_1>")
s2 = list_invoices(customer_ids=[s1.rows[0].CustomerId], limit=5)
s3 = invoice_lines(invoice_ids=s2.rows[*].InvoiceId)`;

const STEPS: PlanStep[] = [
  { id: "s1", tool: "find_customer", args: { name: "<PERSON_1>" } },
  {
    id: "s2",
    tool: "list_invoices",
    args: { customer_ids: [{ $ref: "s1", path: "rows[0].CustomerId" }], limit: 5 },
  },
  { id: "s3", tool: "invoice_lines", args: { invoice_ids: { $ref: "s2", path: "rows[*].InvoiceId" } } },
];

describe("compact plan language", () => {
  it("parses one step per line into the same steps a JSON plan gives", () => {
    expect(parseCompactPlan(PLAN)).toEqual({ steps: STEPS, issues: [] });
    const json = parsePlan({ kind: "text", text: JSON.stringify({ steps: STEPS }) });
    expect(parsePlan({ kind: "text", text: PLAN, format: "compact" })).toEqual({
      plan: { steps: json.plan!.steps, mode: "compact" },
      issues: [],
    });
  });

  it("reads every JSON value kind, bare and quoted keys, Python literals and whole-step references", () => {
    const { steps, issues } = parseCompactPlan(
      `s1 = t(a=-1.5e2, b=true, c=null, d=False, e=None, f="say \\"hi\\"\\n", g='it\\'s', h={x: 1, "odd key": [s0, s0["a b"]]}, "k-2"=[], i={})`,
    );
    expect(issues).toEqual([]);
    expect(steps[0].args).toEqual({
      a: -150,
      b: true,
      c: null,
      d: false,
      e: null,
      f: 'say "hi"\n',
      g: "it's",
      h: { x: 1, "odd key": [{ $ref: "s0" }, { $ref: "s0", path: '["a b"]' }] },
      "k-2": [],
      i: {},
    });
  });

  it("renders plans that parse back to the same steps", () => {
    const odd: PlanStep[] = [
      ...STEPS,
      {
        id: "s4",
        tool: "t",
        args: {
          "with space": { nested: [1, "two", null, false] },
          true: "reserved word as key",
          whole: { $ref: "s3" },
          quoted: { $ref: "s1", path: 'rows[0]["odd key"]' },
          bad: { $ref: "s1", path: "rows[0]..x" },
          extra: { $ref: "s1", path: "x", note: "kept" },
          text: "line\nbreak",
        },
      },
      { id: "s5", tool: "no_args", args: {} },
    ];
    const text = renderCompactPlan(odd);
    expect(text.split("\n")).toHaveLength(odd.length);
    expect(renderCompactStep(STEPS[1])).toBe(
      "s2 = list_invoices(customer_ids=[s1.rows[0].CustomerId], limit=5)",
    );
    expect(parseCompactPlan(text)).toEqual({ steps: odd, issues: [] });
  });

  it("is far shorter than the same plan in JSON", () => {
    expect(renderCompactPlan(STEPS).length).toBeLessThan(JSON.stringify({ steps: STEPS }).length * 0.6);
  });

  it("returns each step as soon as its closing parenthesis arrives, character by character", () => {
    const reader = new CompactPlanReader();
    const seen: Array<{ id: string; at: number }> = [];
    for (let i = 0; i < PLAN.length; i++) {
      for (const step of reader.push(PLAN[i])) seen.push({ id: step.id, at: i });
    }
    const closes = [...PLAN.matchAll(/\)$/gm)].map((m) => m.index!);
    expect(seen).toEqual([
      { id: "s1", at: closes[0] },
      { id: "s2", at: closes[1] },
      { id: "s3", at: closes[2] },
    ]);
    expect(reader.end()).toEqual({ steps: STEPS, issues: [] });
  });

  it("does not return a step while a string or reference in it may still grow", () => {
    const reader = new CompactPlanReader();
    expect(reader.push('s1 = t(a="x)')).toEqual([]);
    expect(reader.push('", b=s0.ro')).toEqual([]);
    expect(reader.push("ws)")).toEqual([
      { id: "s1", tool: "t", args: { a: "x)", b: { $ref: "s0", path: "rows" } } },
    ]);
  });

  it("skips prose, code fences, comments, list markers and text after a step", () => {
    const text = [
      "Here is the plan:",
      "```",
      "# look the customer up first",
      '1. s1 = find_customer(name="<PERSON_1>")  // by name',
      '- s2 = weather(city="Paris");',
      "```",
      "That is all.",
    ].join("\n");
    const { steps, issues } = parseCompactPlan(text);
    expect(issues).toEqual([]);
    expect(steps.map((s) => [s.id, s.tool])).toEqual([
      ["s1", "find_customer"],
      ["s2", "weather"],
    ]);
  });

  it("accepts a step whose arguments span several lines", () => {
    const { steps, issues } = parseCompactPlan('s1 = t(\n  ids=[1,\n    2],\n  name="x"\n)\ns2 = u()');
    expect(issues).toEqual([]);
    expect(steps).toEqual([
      { id: "s1", tool: "t", args: { ids: [1, 2], name: "x" } },
      { id: "s2", tool: "u", args: {} },
    ]);
  });

  it("reads NONE as a plan with no steps, and refuses an empty or step-less reply", () => {
    expect(parseCompactPlan("NONE")).toEqual({ steps: [], issues: [] });
    expect(parseCompactPlan("```\nnone.\n```")).toEqual({ steps: [], issues: [] });
    expect(parseCompactPlan("No lookup needed")).toEqual({ steps: [], issues: [] });
    expect(parseCompactPlan("").issues[0].message).toMatch(/empty.*s1 = tool_name/);
    expect(parseCompactPlan("I would look up the customer.").issues[0].message).toMatch(/no plan steps/);
  });

  it.each([
    ['s1 = t("Rock")', /name=value/],
    ["s1 = t(a=1, a=2)", /given twice/],
    ['s1 = t(a="open\n)', /not closed/],
    ["s1 = t(a=[1, 2)", /expected "," or "\]"/],
    ["s1 = t(a=1 b=2)", /expected "," or "\)"/],
    ["s1 = t(a=@)", /unexpected "@"/],
    ['s1 = t(a="\\q")', /invalid escape/],
  ])("says what is wrong with %j", (text, message) => {
    const { issues } = parseCompactPlan(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: "malformed", stepId: "s1" });
    expect(issues[0].message).toMatch(message);
  });

  it("reports a step cut off at the end of the reply", () => {
    const reader = new CompactPlanReader();
    expect(reader.push('s1 = t(a=1)\ns2 = t(b="x')).toHaveLength(1);
    const { steps, issues } = reader.end();
    expect(steps.map((s) => s.id)).toEqual(["s1"]);
    expect(issues).toEqual([
      { kind: "malformed", stepId: "s2", message: 'step s2 is cut off; close its argument list with ")"' },
    ]);
  });

  it("keeps reading after a bad step, so one repair round can fix every problem", () => {
    const { steps, issues } = parseCompactPlan('s1 = t(1)\ns2 = t(a=1)\ns3 = t(b=)\ns4 = t(c="x")');
    expect(steps.map((s) => s.id)).toEqual(["s2", "s4"]);
    expect(issues.map((i) => i.stepId)).toEqual(["s1", "s3"]);
  });

  it("bounds nesting depth and reply size with a typed issue, not a crash", () => {
    const deep = `s1 = t(a=${"[".repeat(5000)}1${"]".repeat(5000)})`;
    const { issues } = parseCompactPlan(deep);
    expect(issues[0].message).toContain(`more than ${MAX_VALUE_DEPTH} levels`);
    const huge = `s1 = t(a="${"x".repeat(250_000)}")`;
    expect(parseCompactPlan(huge).issues[0].message).toMatch(/over 200000 characters/);
    expect(parsePlan({ kind: "text", text: huge, format: "compact" }).issues[0].message).toMatch(
      /characters long/,
    );
  });

  it("reads a long step streamed in small chunks in one pass", () => {
    const reader = new CompactPlanReader();
    const text = `s1 = t(a="${"x".repeat(150_000)}")`;
    let steps: PlanStep[] = [];
    for (let i = 0; i < text.length; i += 7) steps = steps.concat(reader.push(text.slice(i, i + 7)));
    expect(steps).toHaveLength(1);
    expect((steps[0].args.a as string).length).toBe(150_000);
  });

  it("goes through the same validation as JSON plans", () => {
    const tools = new Map(contractTools.map((t) => [t.name, t]));
    const parsed = parsePlan({
      kind: "text",
      format: "compact",
      text: 's1 = weather(city="<GPE_1>")\ns2 = find_customer(city=Paris)\ns3 = teleport(to="x")',
    });
    const issues = validatePlan(parsed.plan!, tools, { maxSteps: 5 });
    expect(issues.map((i) => i.kind).sort()).toEqual(["missing-ref", "unknown-tool"]);
    expect(issues.find((i) => i.kind === "missing-ref")!.message).toContain('"Paris"');
  });

  it("reads a compact-mode reply of prose then a JSON plan as JSON", () => {
    const text = `Here is the plan:\n${JSON.stringify({ steps: STEPS })}`;
    expect(parsePlan({ kind: "text", text, format: "compact" }).plan).toEqual({ steps: STEPS, mode: "json" });
  });

  it("reads a compact-mode reply that is JSON after all as JSON", () => {
    const text = `\`\`\`json\n${JSON.stringify({ steps: STEPS })}\n\`\`\``;
    expect(parsePlan({ kind: "text", text, format: "compact" })).toEqual({
      plan: { steps: STEPS, mode: "json" },
      issues: [],
    });
  });
});
