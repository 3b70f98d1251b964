import { describe, expect, it } from "vitest";
import type { ToolSpec } from "../tools/tool.js";
import type { PlanRequest } from "./planner.js";
import { rankTools, selectTools, terms } from "./select-tools.js";

const spec = (name: string, description: string, args: Record<string, string> = {}): ToolSpec => ({
  name,
  description,
  inputSchema: {
    type: "object",
    properties: Object.fromEntries(
      Object.entries(args).map(([k, d]) => [k, { type: "string", description: d }]),
    ),
  },
});

const RELEVANT = [
  spec("find_customer", "Finds customers by name or email", { name: "Full name", email: "Email address" }),
  spec("list_invoices", "Invoices of customers, newest first", { customer_ids: "Customer ids" }),
  spec("weather_forecast", "Weather forecast for a city", { city: "City" }),
];
// Forty tools about other things, so that selection applies.
const FILLER = Array.from({ length: 40 }, (_, i) =>
  spec(`inventory_${i}`, `Stock level of warehouse bin ${i} for a product SKU`, { sku: "Product SKU" }),
);
const TOOLS = [...FILLER.slice(0, 20), ...RELEVANT, ...FILLER.slice(20)];
const request = (prompt: string, extra: Partial<PlanRequest> = {}): PlanRequest => ({
  prompt,
  tools: TOOLS,
  date: "2026-11-29",
  maxSteps: 10,
  ...extra,
});

describe("tool selection", () => {
  it("shows every tool when there are few", () => {
    const few = { ...request("What did <PERSON_1> buy?"), tools: RELEVANT };
    expect(selectTools(few)).toBe(RELEVANT);
    expect(selectTools(request("x"), false)).toBe(TOOLS);
  });

  it("ranks by the question, placeholders included, and keeps the configured order", () => {
    const chosen = selectTools(
      request("Which invoices does <PERSON_1> have, and what is the weather in <GPE_1>?"),
      {
        top: 3,
      },
    );
    expect(chosen.map((t) => t.name)).toEqual(["find_customer", "list_invoices", "weather_forecast"]);
  });

  it("fills up to the limit and shows twice as many on a repair, every tool after an unknown tool", () => {
    const first = selectTools(request("invoices of <EMAIL_1>"));
    expect(first).toHaveLength(12);
    expect(first.map((t) => t.name)).toEqual(expect.arrayContaining(["find_customer", "list_invoices"]));
    const repair = (kind: "invalid-args" | "unknown-tool") =>
      selectTools(
        request("invoices of <EMAIL_1>", {
          repair: { previous: { kind: "text", text: "{}" }, issues: [{ kind, message: "x" }] },
        }),
      );
    expect(repair("invalid-args")).toHaveLength(24);
    expect(repair("unknown-tool")).toBe(TOOLS);
  });

  it("scores tools with no word in common at zero", () => {
    const scores = rankTools(RELEVANT, "quarterly revenue");
    expect(scores).toEqual([0, 0, 0]);
    expect(rankTools(RELEVANT, "customers")[0]).toBeGreaterThan(0);
  });

  it("splits names and stems plurals", () => {
    expect(terms("listInvoices of the Customers' cities")).toEqual(["list", "invoice", "customer", "city"]);
  });
});
