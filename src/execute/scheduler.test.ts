import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Plan } from "../core/plan.js";
import { defineTool } from "../tools/define-tool.js";
import type { Tool } from "../tools/tool.js";
import { executePlan } from "./scheduler.js";

const toolMap = (...tools: Tool[]) => new Map(tools.map((t) => [t.name, t]));
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

function gaugeTool(gauge: { now: number; max: number }, ms = 20) {
  return defineTool({
    name: "slow",
    description: "waits",
    input: z.object({ n: z.number() }),
    run: async ({ n }, { signal }) => {
      gauge.now++;
      gauge.max = Math.max(gauge.max, gauge.now);
      try {
        await sleep(ms, signal);
      } finally {
        gauge.now--;
      }
      return { n };
    },
  });
}

const plan = (steps: Plan["steps"]): Plan => ({ steps, mode: "json" });

describe("executePlan", () => {
  it("runs independent steps in parallel, bounded by the concurrency limit", async () => {
    const gauge = { now: 0, max: 0 };
    const steps = Array.from({ length: 10 }, (_, i) => ({ id: `s${i + 1}`, tool: "slow", args: { n: i } }));
    const outcomes = await executePlan(plan(steps), { tools: toolMap(gaugeTool(gauge)), concurrency: 3 });
    expect(outcomes.every((o) => o.status === "ok")).toBe(true);
    expect(gauge.max).toBe(3);

    const unbounded = { now: 0, max: 0 };
    await executePlan(plan(steps), { tools: toolMap(gaugeTool(unbounded)), concurrency: 100 });
    expect(unbounded.max).toBe(10);
  });

  it("passes a resolved value to a dependent step and orders it after its dependency", async () => {
    const order: string[] = [];
    const find = defineTool({
      name: "find",
      description: "finds",
      input: z.object({}),
      run: async () => {
        order.push("find");
        return { rows: [{ customer_id: 42 }, { customer_id: 43 }] };
      },
    });
    const seen: unknown[] = [];
    const invoices = defineTool({
      name: "invoices",
      description: "lists",
      input: z.object({ customer_id: z.number(), all: z.array(z.number()).optional() }),
      run: async (args) => {
        order.push("invoices");
        seen.push(args);
        return { total: 1 };
      },
    });
    const outcomes = await executePlan(
      plan([
        {
          id: "s2",
          tool: "invoices",
          args: {
            customer_id: { $ref: "s1", path: "rows[0].customer_id" },
            all: { $ref: "s1", path: "rows[*].customer_id" },
          },
        },
        { id: "s1", tool: "find", args: {} },
      ]),
      { tools: toolMap(find, invoices) },
    );
    expect(order).toEqual(["find", "invoices"]);
    expect(seen).toEqual([{ customer_id: 42, all: [42, 43] }]);
    expect(outcomes.map((o) => o.status)).toEqual(["ok", "ok"]);
  });

  it("isolates a failure: siblings finish, dependents are skipped with the reason", async () => {
    const boom = defineTool({
      name: "boom",
      description: "fails",
      input: z.object({}),
      run: async () => {
        throw new Error("db down");
      },
    });
    const ok = defineTool({
      name: "ok",
      description: "works",
      input: z.object({ x: z.any().optional() }),
      run: async () => ({ fine: true }),
    });
    const outcomes = await executePlan(
      plan([
        { id: "s1", tool: "boom", args: {} },
        { id: "s2", tool: "ok", args: {} },
        { id: "s3", tool: "ok", args: { x: { $ref: "s1", path: "a" } } },
        { id: "s4", tool: "ok", args: { x: { $ref: "s3" } } },
      ]),
      { tools: toolMap(boom, ok) },
    );
    expect(outcomes.map((o) => o.status)).toEqual(["failed", "ok", "skipped", "skipped"]);
    expect(outcomes[0].error?.message).toContain("db down");
    expect(outcomes[2].error?.message).toContain("s1");
    expect(outcomes[3].error?.message).toContain("s3");
  });

  it("times out a slow step (even one that ignores its signal) without sinking the others", async () => {
    const stubborn = defineTool({
      name: "stubborn",
      description: "ignores abort",
      input: z.object({}),
      timeoutMs: 30,
      run: () => new Promise((resolve) => setTimeout(() => resolve("late"), 500)),
    });
    const fast = defineTool({
      name: "fast",
      description: "quick",
      input: z.object({}),
      run: async () => "ok",
    });
    const outcomes = await executePlan(
      plan([
        { id: "s1", tool: "stubborn", args: {} },
        { id: "s2", tool: "fast", args: {} },
      ]),
      {
        tools: toolMap(stubborn, fast),
      },
    );
    expect(outcomes[0].status).toBe("timeout");
    expect(outcomes[0].error?.code).toBe("STEP_TIMEOUT");
    expect(outcomes[0].durationMs).toBeLessThan(400);
    expect(outcomes[1].status).toBe("ok");
  });

  it("cancellation aborts running tools' signals and cancels waiting steps", async () => {
    const gauge = { now: 0, max: 0 };
    let abortedSignals = 0;
    const watch = defineTool({
      name: "watch",
      description: "waits until aborted",
      input: z.object({ n: z.number() }),
      run: async (_args, { signal }) => {
        gauge.now++;
        await new Promise<void>((resolve) =>
          signal.addEventListener("abort", () => {
            abortedSignals++;
            resolve();
          }),
        );
        gauge.now--;
        return null;
      },
    });
    const controller = new AbortController();
    const steps = Array.from({ length: 4 }, (_, i) => ({ id: `s${i + 1}`, tool: "watch", args: { n: i } }));
    const done = executePlan(plan(steps), {
      tools: toolMap(watch),
      concurrency: 2,
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 30));
    controller.abort(new Error("user left"));
    const outcomes = await done;
    expect(outcomes.map((o) => o.status)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
    expect(abortedSignals).toBe(2);
    expect(gauge.now).toBe(0);
  });

  it("skips a step whose reference path finds nothing, and fails one whose resolved args are invalid", async () => {
    const find = defineTool({
      name: "find",
      description: "none",
      input: z.object({}),
      run: async () => ({ rows: [] as unknown[] }),
    });
    const typed = defineTool({
      name: "typed",
      description: "needs number",
      input: z.object({ id: z.number() }),
      run: async () => 1,
    });
    const words = defineTool({
      name: "words",
      description: "str",
      input: z.object({}),
      run: async () => ({ id: "not-a-number" }),
    });
    const outcomes = await executePlan(
      plan([
        { id: "s1", tool: "find", args: {} },
        { id: "s2", tool: "typed", args: { id: { $ref: "s1", path: "rows[0].id" } } },
        { id: "s3", tool: "words", args: {} },
        { id: "s4", tool: "typed", args: { id: { $ref: "s3", path: "id" } } },
      ]),
      { tools: toolMap(find, typed, words) },
    );
    expect(outcomes[1].status).toBe("skipped");
    expect(outcomes[1].error?.code).toBe("REF_UNRESOLVED");
    expect(outcomes[3].status).toBe("failed");
    expect(outcomes[3].error?.code).toBe("STEP_ARGS_INVALID");
  });

  it("truncates large results with a visible marker", async () => {
    const big = defineTool({
      name: "big",
      description: "many rows",
      input: z.object({}),
      run: async () => ({ rows: Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `customer ${i}` })) }),
    });
    const [outcome] = await executePlan(plan([{ id: "s1", tool: "big", args: {} }]), {
      tools: toolMap(big),
      maxResultChars: 2000,
    });
    expect(outcome.truncated).toBe(true);
    expect(JSON.stringify(outcome.output).length).toBeLessThanOrEqual(2000);
    expect(JSON.stringify(outcome.output)).toMatch(/truncated: showing \d+ of 1000 items/);
  });

  it("passes the caller and step id to tools, and applies prepareArgs before validation", async () => {
    const seen: unknown[] = [];
    const who = defineTool({
      name: "who",
      description: "echo",
      input: z.object({ email: z.string().email() }),
      run: async (args, ctx) => {
        seen.push({ args, caller: ctx.caller?.id, step: ctx.stepId });
        return 1;
      },
    });
    await executePlan(plan([{ id: "s1", tool: "who", args: { email: "<EMAIL_1>" } }]), {
      tools: toolMap(who),
      caller: { id: "u7", roles: [] },
      prepareArgs: (args) => ({ ...args, email: "maria@example.com" }),
    });
    expect(seen).toEqual([{ args: { email: "maria@example.com" }, caller: "u7", step: "s1" }]);
  });

  it("prepares only the arguments the planner wrote: values from references pass untouched (#11)", async () => {
    const seen: unknown[] = [];
    const source = defineTool({
      name: "source",
      description: "a result that looks like placeholders",
      input: z.object({}),
      run: async () => ({ note: "mail <EMAIL_1>", list: ["<EMAIL_1>"], nested: { x: "<EMAIL_1>" } }),
    });
    const sink = defineTool({
      name: "sink",
      description: "records",
      input: z.object({ to: z.string(), note: z.string(), all: z.unknown(), path: z.unknown() }),
      run: async (args) => {
        seen.push(args);
        return 1;
      },
    });
    const prepared: unknown[] = [];
    await executePlan(
      plan([
        { id: "s1", tool: "source", args: {} },
        {
          id: "s2",
          tool: "sink",
          args: {
            to: "<EMAIL_1>",
            note: { $ref: "s1", path: "note" },
            all: [{ $ref: "s1", path: "list" }, { $ref: "s1" }, "<EMAIL_1>"],
            path: { $ref: "s1", path: "nested" },
          },
        },
      ]),
      {
        tools: toolMap(source, sink),
        prepareArgs: (args) => {
          prepared.push(args);
          return JSON.parse(JSON.stringify(args).replaceAll("<EMAIL_1>", "maria@example.com"));
        },
      },
    );
    expect(seen).toEqual([
      {
        to: "maria@example.com",
        note: "mail <EMAIL_1>",
        all: [
          ["<EMAIL_1>"],
          { note: "mail <EMAIL_1>", list: ["<EMAIL_1>"], nested: { x: "<EMAIL_1>" } },
          "maria@example.com",
        ],
        path: { x: "<EMAIL_1>" },
      },
    ]);
    // prepareArgs saw the planner's arguments, references unresolved.
    expect(JSON.stringify(prepared.at(-1))).toContain('"$ref":"s1"');
  });
});

describe("executePlan callbacks", () => {
  it("a throwing onEnd fails the run once every running step has settled, with no stray rejections", async () => {
    const stray: unknown[] = [];
    const onStray = (e: unknown) => stray.push(e);
    process.on("unhandledRejection", onStray);
    try {
      const slow = defineTool({
        name: "slow",
        description: "slow",
        input: z.object({ ms: z.number() }),
        run: async ({ ms }, { signal }) => {
          await sleep(ms, signal);
          return ms;
        },
      });
      const steps = [10, 60, 60, 200].map((ms, i) => ({ id: `s${i + 1}`, tool: "slow", args: { ms } }));
      const error = await executePlan(plan(steps), {
        tools: toolMap(slow),
        concurrency: 3,
        onEnd: (o) => {
          if (o.step.id === "s1") throw new Error("callback broke");
        },
      }).catch((e) => e);
      expect(error.message).toBe("callback broke");
      await new Promise((r) => setTimeout(r, 50));
      expect(stray).toEqual([]);
    } finally {
      process.off("unhandledRejection", onStray);
    }
  });
});

describe("executePlan bounds what it walks", () => {
  it("cuts a tool result nested 100,000 levels deep with a marker; refuses unvalidated deep arguments", async () => {
    let deepOutput: unknown = "bottom";
    for (let i = 0; i < 100_000; i++) deepOutput = { next: deepOutput };
    const deepTool: Tool = {
      name: "deep",
      description: "d",
      inputSchema: { type: "object" },
      validate: (input) => ({ value: input, issues: [] }),
      run: async () => deepOutput,
    };
    let deepArgs: unknown = 1;
    for (let i = 0; i < 50_000; i++) deepArgs = [deepArgs];
    const outcomes = await executePlan(
      {
        mode: "json",
        steps: [
          { id: "s1", tool: "deep", args: {} },
          { id: "s2", tool: "deep", args: { a: deepArgs } },
        ],
      },
      { tools: new Map([["deep", deepTool]]) },
    );
    expect(outcomes[0].status).toBe("ok");
    expect(outcomes[0].truncated).toBe(true);
    expect(JSON.stringify(outcomes[0].output)).toContain("[cut: nested more than 64 levels deep]");
    expect(outcomes[1]).toMatchObject({ status: "failed", error: { code: "STEP_ARGS_INVALID" } });
    expect(outcomes[1].error?.message).toMatch(/nested more than 32 levels deep/);
  });
});

describe("executePlan step timeouts", () => {
  it("the step timeout caps every tool, also one with a longer timeout of its own", async () => {
    let seen: number | undefined;
    const slow: Tool = {
      name: "slow",
      description: "d",
      inputSchema: { type: "object" },
      timeoutMs: 60_000,
      validate: (input) => ({ value: input, issues: [] }),
      run: (_input, ctx) => {
        seen = ctx.timeoutMs;
        return new Promise((resolve) => setTimeout(resolve, 5_000, "late"));
      },
    };
    const quick: Tool = { ...slow, name: "quick", timeoutMs: 100 };
    const t0 = performance.now();
    const outcomes = await executePlan(
      {
        mode: "json",
        steps: [
          { id: "s1", tool: "slow", args: {} },
          { id: "s2", tool: "quick", args: {} },
        ],
      },
      {
        tools: new Map([
          ["slow", slow],
          ["quick", quick],
        ]),
        stepTimeoutMs: 250,
      },
    );
    expect(outcomes.map((o) => o.status)).toEqual(["timeout", "timeout"]);
    expect(outcomes[0].error?.message).toMatch(/within 250 ms/);
    expect(outcomes[1].error?.message).toMatch(/within 100 ms/);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(seen).toBe(100); // the last call seen: the tool's own, shorter, timeout
  });
});
