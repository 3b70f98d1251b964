import { describe, expect, it } from "vitest";
import { approximateTokenCounter } from "../context/token-counter.js";
import type { PlanRequest } from "./planner.js";
import {
  MAX_REPAIR_ECHO_CHARS,
  plannerMessages,
  plannerSystemPrompt,
  plannerTemplateText,
  toolSignature,
} from "./planner-prompt.js";

const request: PlanRequest = {
  prompt: "q",
  date: "2026-11-26",
  maxSteps: 4,
  tools: [
    {
      name: "find_customer",
      description: "Customers in a city",
      inputSchema: {
        type: "object" as const,
        properties: {
          city: { type: "string" as const, description: "City name, e.g. 'Paris'" },
          limit: { type: "integer" as const, minimum: 1, maximum: 100, default: 10 },
          status: { enum: ["active", "closed"] },
          ids: { type: "array" as const, items: { type: "number" as const } },
          since: { type: "string" as const, format: "date" },
          filter: {
            type: "object" as const,
            properties: { vip: { type: "boolean" as const } },
            required: ["vip"],
          },
          owner: { anyOf: [{ type: "string" as const }, { type: "integer" as const }] },
        },
        required: ["city"],
      },
    },
    {
      name: "weather",
      description: "Weather in a city",
      inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  ],
};

describe("planner prompts", () => {
  it("writes short signatures, and with descriptions for cloud planners", () => {
    expect(toolSignature("weather", request.tools[1].inputSchema)).toBe("weather(city: string)");
    expect(toolSignature("find_customer", request.tools[0].inputSchema)).toBe(
      'find_customer(city: string, limit?: integer, status?: "active" | "closed", ids?: number[], since?: string, filter?: object, owner?: any)',
    );
    expect(toolSignature("find_customer", request.tools[0].inputSchema, { describe: true })).toBe(
      "find_customer(city: string /* City name, e.g. 'Paris' */, limit?: integer 1..100 = 10, " +
        'status?: "active" | "closed", ids?: number[], since?: string (date), filter?: {vip: boolean}, owner?: string | integer)',
    );
  });

  it("lists tools as signatures by default in JSON and compact mode: a fraction of the schemas' tokens", () => {
    for (const mode of ["json", "compact"] as const) {
      const signatures = plannerSystemPrompt(request, mode);
      const schemas = plannerSystemPrompt(request, mode, { toolDetail: "schemas" });
      expect(signatures).toContain("- weather(city: string): Weather in a city");
      expect(signatures).not.toContain('"properties"');
      expect(schemas).toContain('"properties"');
      const tokens = (text: string) => approximateTokenCounter.count(text);
      expect(tokens(signatures)).toBeLessThan(tokens(schemas));
    }
  });

  it("puts everything that is the same for every question first and the date last, for prompt caching", () => {
    for (const mode of ["json", "compact", "tool-calls"] as const) {
      const today = plannerSystemPrompt(request, mode);
      const tomorrow = plannerSystemPrompt({ ...request, date: "2026-11-27" }, mode);
      expect(today.endsWith("Today is 2026-11-26.")).toBe(true);
      const prefix = today.slice(0, today.lastIndexOf("Today is"));
      expect(tomorrow.startsWith(prefix)).toBe(true);
      expect(plannerSystemPrompt({ ...request, prompt: "another question" }, mode)).toBe(today);
    }
  });

  it("explains the compact language, references included, and NONE for no lookup", () => {
    const text = plannerSystemPrompt(request, "compact");
    expect(text).toContain('s1 = tool_name(arg="text", n=42)');
    expect(text).toContain("s2 = other_tool(customer_id=s1.rows[0].customer_id)");
    expect(text).toContain("reply NONE");
    expect(text).toContain("at most 4 steps");
  });

  it("lists no tools in tool-call mode (the API's tools field carries them)", () => {
    const text = plannerSystemPrompt(request, "tool-calls");
    expect(text).not.toContain("find_customer");
    expect(text).toContain("at most 4 calls");
  });

  it("keeps the grammar-constrained local prompt short", () => {
    const local = plannerSystemPrompt(request, "json", { local: true });
    expect(local).toContain("find_customer(city: string");
    expect(local).not.toContain('"properties"');
    expect(local).toContain("Today is 2026-11-26");
  });

  it("marks the prompts of every mode and tool detail as public template text", () => {
    const templates = plannerTemplateText(request);
    for (const mode of ["json", "compact", "tool-calls"] as const)
      for (const toolDetail of ["signatures", "schemas"] as const)
        expect(templates).toContain(plannerSystemPrompt(request, mode, { toolDetail }));
  });

  it("echoes a compact reply as written in a repair, capped", () => {
    const messages = plannerMessages({
      ...request,
      repair: {
        previous: { kind: "text", text: `s1 = weather(town="x")\n${"#".repeat(30_000)}`, format: "compact" },
        issues: [
          { kind: "invalid-args", stepId: "s1", message: "step s1 (weather) argument /city: required" },
        ],
      },
    });
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(String(messages[1].content).startsWith('s1 = weather(town="x")')).toBe(true);
    expect(String(messages[1].content).length).toBeLessThan(MAX_REPAIR_ECHO_CHARS + 60);
    expect(String(messages[1].content)).toMatch(/\[… the rest of that reply is not repeated\]$/);
    expect(String(messages[2].content)).toContain("argument /city: required");
  });
});

describe("repair requests are bounded", () => {
  it("echo and problem list are capped with fixed notes, however big the previous reply", () => {
    const previous = { kind: "text" as const, text: "x".repeat(130_000) };
    const issues = Array.from({ length: 10_000 }, (_, i) => ({
      kind: "unknown-tool" as const,
      message: `step s${i} calls unknown tool "nope"`,
    }));
    const messages = plannerMessages({
      prompt: "q",
      tools: [],
      date: "2026-01-01",
      maxSteps: 5,
      repair: { previous, issues },
    });
    const size = JSON.stringify(messages).length;
    expect(size).toBeLessThan(17_000);
    const text = JSON.stringify(messages);
    expect(text).toContain("the rest of that reply is not repeated");
    expect(text).toContain("more problems not listed");
  });
});
