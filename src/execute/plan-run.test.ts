import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { PlanStep } from "../core/plan.js";
import { defineTool } from "../tools/define-tool.js";
import { PlanRun } from "./plan-run.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A tool that records its calls and waits `ms`, or, with `gated`, until `open(stepId)`. */
function recorder(ms = 10, gated = false) {
  const calls: string[] = [];
  const gates = new Map<string, () => void>();
  const tool = defineTool({
    name: "t",
    description: "records",
    input: z.object({ n: z.unknown().optional() }),
    run: async (args, { stepId }) => {
      calls.push(stepId);
      if (gated) await new Promise<void>((resolve) => gates.set(stepId, resolve));
      else await sleep(ms);
      return { rows: [{ id: stepId, n: args.n }] };
    },
  });
  const write = defineTool({
    name: "w",
    description: "writes",
    input: z.object({}),
    sideEffects: true,
    run: async (_, { stepId }) => {
      calls.push(stepId);
      return { ok: true };
    },
  });
  const open = async (id: string) => {
    while (!gates.has(id)) await sleep(1);
    gates.get(id)!();
  };
  return { calls, open, tools: new Map([tool, write].map((x) => [x.name, x])) };
}

const step = (id: string, args: Record<string, unknown> = {}, tool = "t"): PlanStep => ({ id, tool, args });

describe("PlanRun: a plan that arrives step by step", () => {
  it("starts each step as soon as it arrives, and a dependent one once its input is done", async () => {
    const { calls, tools, open } = recorder(0, true);
    const run = new PlanRun({ tools });
    run.add(step("s1"));
    await sleep(5);
    expect(calls).toEqual(["s1"]); // running before the rest of the plan exists
    run.add(step("s2", { n: { $ref: "s1", path: "rows[0].id" } }));
    run.add(step("s3"));
    await sleep(5);
    expect(calls).toEqual(["s1", "s3"]); // s2 waits for s1
    await open("s1");
    await open("s3");
    await open("s2");
    const outcomes = await run.finish();
    expect(outcomes.map((o) => o.status)).toEqual(["ok", "ok", "ok"]);
    expect(outcomes[1].output).toEqual({ rows: [{ id: "s2", n: "s1" }] });
    expect(calls).toEqual(["s1", "s3", "s2"]);
  });

  it("waits for a referenced step that has not arrived yet, and skips it if it never does", async () => {
    const { calls, tools } = recorder(5);
    const run = new PlanRun({ tools });
    run.add(step("s2", { n: { $ref: "s1" } }));
    await sleep(20);
    expect(calls).toEqual([]);
    run.add(step("s3", { n: { $ref: "s9" } }));
    run.add(step("s1"));
    const outcomes = await run.finish();
    expect(outcomes.map((o) => [o.step.id, o.status])).toEqual([
      ["s2", "ok"],
      ["s3", "skipped"],
      ["s1", "ok"],
    ]);
    expect(outcomes[1].error?.code).toBe("DEPENDENCY_FAILED");
  });

  it("holds a step with side effects until the whole plan is released", async () => {
    const { calls, tools } = recorder(5);
    const run = new PlanRun({ tools });
    run.add(step("s1", {}, "w"), { held: true });
    run.add(step("s2"));
    await sleep(30);
    expect(calls).toEqual(["s2"]);
    run.release();
    const outcomes = await run.finish();
    expect(calls).toEqual(["s2", "s1"]);
    expect(outcomes.map((o) => o.status)).toEqual(["ok", "ok"]);
  });

  it("keeps to the concurrency limit as steps stream in", async () => {
    const { tools } = recorder(20);
    let now = 0;
    let max = 0;
    const run = new PlanRun({
      tools,
      concurrency: 2,
      onStart: () => {
        now++;
        max = Math.max(max, now);
      },
      onEnd: () => {
        now--;
      },
    });
    for (let i = 1; i <= 6; i++) {
      run.add(step(`s${i}`));
      await sleep(3);
    }
    await run.finish();
    expect(max).toBe(2);
  });

  it("lets a repaired plan take over the steps that already ran, and reruns what changed", async () => {
    const { calls, tools } = recorder(15);
    const ends: string[] = [];
    const first = new PlanRun({ tools, onEnd: (o) => ends.push(o.step.id) });
    first.add(step("s1", { n: 1 }));
    first.add(step("s2", { n: { $ref: "s1", path: "rows[0].id" } }));
    first.add(step("s3", { n: 3 }));
    await sleep(5);
    // The plan turns out invalid elsewhere; the repaired plan keeps s1 and s2, changes s3.
    // s2 had not started yet (it waits for s1): the new run starts it, the old one never will.
    const second = new PlanRun({
      tools,
      reuse: first.retire(),
      onEnd: (o) => ends.push(`again ${o.step.id}`),
    });
    for (const s of [
      step("s1", { n: 1 }),
      step("s2", { n: { $ref: "s1", path: "rows[0].id" } }),
      step("s3", { n: 4 }),
    ])
      second.add(s);
    second.release();
    const outcomes = await second.finish();
    expect(outcomes.map((o) => o.status)).toEqual(["ok", "ok", "ok"]);
    expect(outcomes[2].output).toEqual({ rows: [{ id: "s3", n: 4 }] });
    // s1 and s2 ran once; s3 twice (the first run's s3 had other arguments).
    expect(calls.filter((c) => c === "s1")).toHaveLength(1);
    expect(calls.filter((c) => c === "s2")).toHaveLength(1);
    expect(calls.filter((c) => c === "s3")).toHaveLength(2);
    expect(ends).toContain("again s3");
    expect(ends).toContain("again s2");
    expect(ends).not.toContain("again s1"); // a step taken over is reported once, by the run that ran it
    expect(ends.filter((e) => e === "s2")).toEqual([]); // the old run never started (or reported) it
    await first.finish();
  });

  it("does not take over a step whose input changed", async () => {
    const { calls, tools } = recorder(5);
    const first = new PlanRun({ tools });
    first.add(step("s1", { n: 1 }));
    first.add(step("s2", { n: { $ref: "s1" } }));
    await first.finish();
    const second = new PlanRun({ tools, reuse: first.retire() });
    second.add(step("s1", { n: 2 }));
    second.add(step("s2", { n: { $ref: "s1" } }));
    await second.finish();
    expect(calls).toEqual(["s1", "s2", "s1", "s2"]);
  });

  it("cancels running and waiting steps", async () => {
    const { tools } = recorder(1000);
    const run = new PlanRun({ tools });
    run.add(step("s1"));
    run.add(step("s2", { n: { $ref: "s1" } }));
    await sleep(5);
    const t0 = Date.now();
    await run.cancel(new Error("stop"));
    expect(Date.now() - t0).toBeLessThan(500);
    const outcomes = await run.finish();
    expect(outcomes.map((o) => o.status)).toEqual(["cancelled", "cancelled"]);
    expect(outcomes[0].error?.code).toBe("RUN_CANCELLED");
  });

  it("rethrows an error thrown by onEnd once everything has settled", async () => {
    const { tools } = recorder(5);
    const run = new PlanRun({
      tools,
      onEnd: () => {
        throw new Error("listener broke");
      },
    });
    run.add(step("s1"));
    await expect(run.finish()).rejects.toThrow("listener broke");
  });
});
