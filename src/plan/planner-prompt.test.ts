import { describe, expect, it } from "vitest";
import { plannerSystemPrompt, toolSignature } from "./planner-prompt.js";

const request = {
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
          city: { type: "string" as const },
          limit: { type: "integer" as const },
          status: { enum: ["active", "closed"] },
          ids: { type: "array" as const, items: { type: "number" as const } },
        },
        required: ["city"],
      },
    },
  ],
};

describe("planner prompts", () => {
  it("lists tools as short signatures for local planners under a grammar", () => {
    expect(toolSignature("find_customer", request.tools[0].inputSchema)).toBe(
      'find_customer(city: string, limit?: integer, status?: "active" | "closed", ids?: number[])',
    );
    const compact = plannerSystemPrompt(request, "json", { compact: true });
    const full = plannerSystemPrompt(request, "json");
    expect(compact).toContain("find_customer(city: string");
    expect(compact).not.toContain('"properties"');
    expect(full).toContain('"properties"');
    expect(compact.length).toBeLessThan(full.length / 2);
    for (const text of [compact, full]) expect(text).toContain("Today is 2026-11-26");
  });
});
