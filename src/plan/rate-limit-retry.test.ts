import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reply } from "../../test/helpers/fake-openai-server.js";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { createModelPlanner } from "./model-planner.js";
import type { PlanRequest } from "./planner.js";
import { retryAfter } from "./rate-limit-retry.js";

const request: PlanRequest = {
  prompt: "who is it?",
  tools: [
    {
      name: "find",
      description: "Find",
      inputSchema: { type: "object", properties: { q: { type: "string" } } },
    },
  ],
  date: "2026-01-01",
  maxSteps: 3,
};
const plan = { steps: [{ id: "s1", tool: "find", args: { q: "x" } }] };
const limited = (headers: Record<string, string> = {}) =>
  reply.error(429, "Rate limit reached for requests", { headers });

let models: FakeModels;
beforeEach(async () => {
  models = await startFakeModels();
});
afterEach(() => models.close());

describe("planner and a rate-limiting provider (HTTP 429)", () => {
  it("waits what Retry-After asks, then plans", async () => {
    models.cloud.enqueue(limited({ "retry-after": "1" }), reply.json(plan));
    const planner = createModelPlanner({ model: models.planner });
    const t0 = Date.now();
    const out = await planner.plan(request, {
      signal: new AbortController().signal,
      deadline: Date.now() + 10_000,
    });
    expect(out.raw).toMatchObject({ kind: "text" });
    expect(models.cloud.requests.length).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it("fails at once with PLANNER_RATE_LIMITED when the wait does not fit the planner timeout", async () => {
    models.cloud.enqueue(limited({ "retry-after": "120" }));
    const planner = createModelPlanner({ model: models.planner });
    const t0 = Date.now();
    const error = await planner
      .plan(request, { signal: new AbortController().signal, deadline: Date.now() + 5_000 })
      .catch((e) => e);
    expect(error).toMatchObject({ code: "PLANNER_RATE_LIMITED", retryAfterMs: 120_000 });
    expect(error.message).toMatch(/asked to wait 120 s; gave up longer than the planner timeout leaves/);
    expect(models.cloud.requests.length).toBe(1);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("without Retry-After backs off 1 s, 2 s…, then gives up typed after its retries", async () => {
    models.cloud.handle(() => limited());
    const planner = createModelPlanner({ model: models.planner, rateLimitRetries: 1 });
    const error = await planner.plan(request, { signal: new AbortController().signal }).catch((e) => e);
    expect(error).toMatchObject({ code: "PLANNER_RATE_LIMITED" });
    expect(error.message).toMatch(/after 2 attempts/);
    expect(models.cloud.requests.length).toBe(2);
  });

  it("a cancelled run stops waiting", async () => {
    models.cloud.enqueue(limited({ "retry-after": "5" }));
    const planner = createModelPlanner({ model: models.planner });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 200);
    const t0 = Date.now();
    await expect(planner.plan(request, { signal: controller.signal })).rejects.toMatchObject({
      code: "RUN_CANCELLED",
    });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});

describe("retryAfter", () => {
  it("reads retry-after-ms, seconds and HTTP dates, case-insensitively", () => {
    expect(retryAfter({ "retry-after-ms": "250" })).toBe(250);
    expect(retryAfter({ "Retry-After": "3" })).toBe(3_000);
    const date = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfter({ "retry-after": date })).toBeGreaterThan(8_000);
    expect(retryAfter({ "retry-after": "soon" })).toBeUndefined();
    expect(retryAfter({})).toBeUndefined();
  });
});
