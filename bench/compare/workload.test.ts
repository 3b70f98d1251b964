import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { executePlan } from "../../src/execute/scheduler.js";
import type { Plan } from "../../src/core/plan.js";
import { validatePlan } from "../../src/plan/validate-plan.js";
import { sharedFile } from "../../test/helpers/shared-dir.js";
import { chinookSensitiveValues, createChinookTools, openChinook } from "./chinook-tools.js";
import { withPlaceholders } from "./scripted-models.js";
import { stepLevels, WORKLOAD, type WorkloadStep } from "./workload.js";

const asPlan = (steps: WorkloadStep[]): Plan => ({
  steps: steps.map(({ after: _after, ...step }) => step),
  mode: "json",
});
const plans = WORKLOAD.flatMap((q) => [
  { label: `${q.id} plan`, steps: q.plan },
  ...(q.informedPlan ? [{ label: `${q.id} informedPlan`, steps: q.informedPlan }] : []),
]);

describe("bench/compare workload", () => {
  // Validation needs only the schemas: the tools touch the database when they run.
  const memory = new Database(":memory:");
  const toolMap = new Map(createChinookTools(memory).map((t) => [t.name, t]));

  it("has at least 30 questions with unique ids, 1 to 6 calls each, some dependent, some naming a customer", () => {
    expect(WORKLOAD.length).toBeGreaterThanOrEqual(30);
    expect(new Set(WORKLOAD.map((q) => q.id)).size).toBe(WORKLOAD.length);
    for (const q of WORKLOAD) {
      expect(q.plan.length, q.id).toBeGreaterThanOrEqual(1);
      expect(q.plan.length, q.id).toBeLessThanOrEqual(6);
    }
    const dependent = WORKLOAD.filter((q) => Math.max(...stepLevels(q.plan).values()) > 0);
    expect(dependent.length).toBeGreaterThanOrEqual(10);
    expect(WORKLOAD.filter((q) => q.pii).length).toBeGreaterThanOrEqual(10);
  });

  it.each(plans)("$label validates against the tools", ({ steps }) => {
    expect(validatePlan(asPlan(steps), toolMap, { maxSteps: 20 })).toEqual([]);
    // `after` may only name earlier steps of the same plan.
    const ids = new Set<string>();
    for (const step of steps) {
      for (const dep of step.after ?? []) expect(ids.has(dep), `${step.id} after ${dep}`).toBe(true);
      ids.add(step.id);
    }
  });

  it("orders steps into rounds by their inputs", () => {
    const q11 = WORKLOAD.find((q) => q.id === "q11")!;
    expect([...stepLevels(q11.plan).values()]).toEqual([0, 1, 2]);
    const q21 = WORKLOAD.find((q) => q.id === "q21")!;
    expect([...stepLevels(q21.informedPlan!).values()]).toEqual([0, 1, 2]);
  });

  it("puts the planner's placeholders where the question had the values", () => {
    const plan = [{ id: "s1", tool: "find_customer", args: { email: "hholy@gmail.com" } }];
    const out = withPlaceholders(plan, "What did hholy@gmail.com buy?", "What did <EMAIL_1> buy?");
    expect(out[0].args.email).toBe("<EMAIL_1>");
  });

  const chinook = sharedFile("data", "chinook.sqlite");
  describe.skipIf(!chinook)("against ../shared/data/chinook.sqlite", () => {
    const db = chinook ? openChinook(chinook) : memory;
    const tools = new Map(createChinookTools(db).map((t) => [t.name, t]));

    it.each(plans)("$label runs and every step returns rows", async ({ steps }) => {
      const outcomes = await executePlan(asPlan(steps), { tools, concurrency: 4 });
      for (const o of outcomes) {
        expect(o.status, `${o.step.id}: ${o.error?.message}`).toBe("ok");
        expect((o.output as { rows: unknown[] }).rows.length, o.step.id).toBeGreaterThan(0);
      }
    });

    it("marks exactly the questions that name a customer as PII", () => {
      const values = chinookSensitiveValues(db).map((v) => v.value.toLowerCase());
      for (const q of WORKLOAD) {
        const named = values.some((v) => q.question.toLowerCase().includes(v));
        expect(named, q.id).toBe(q.pii);
      }
    });
  });
});
