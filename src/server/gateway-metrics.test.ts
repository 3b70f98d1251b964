import { describe, expect, it } from "vitest";
import { newRunTrace } from "../core/trace.js";
import { EgressBlockedError } from "../privacy/privacy-errors.js";
import { createGatewayMetrics, routeLabel } from "./gateway-metrics.js";

describe("gateway metrics (prom-client)", () => {
  it("exposes flm's series with the process and Node.js defaults", async () => {
    const m = createGatewayMetrics();
    const trace = newRunTrace("r1", "cloud");
    trace.stages = { plan: 120, answer: 30, total: 200 };
    trace.usage.cloud = { inputTokens: 300, outputTokens: 40 };
    trace.usage.local = { inputTokens: 90, outputTokens: 12 };
    m.observeTrace(trace, "crm");
    m.requests.inc({ method: "POST", route: "/v1/chat/completions", status: "200" });
    const text = await m.render();
    expect(text).toContain(
      'flm_http_requests_total{method="POST",route="/v1/chat/completions",status="200"} 1',
    );
    expect(text).toContain('flm_runs_total{agent="crm",outcome="ok"} 1');
    expect(text).toContain('flm_run_stage_duration_seconds_bucket{le="0.25",stage="plan"} 1');
    expect(text).toContain('flm_run_stage_duration_seconds_count{stage="total"} 1');
    expect(text).toContain('flm_tokens_total{location="cloud",direction="input"} 300');
    expect(text).toContain('flm_tokens_total{location="local",direction="output"} 12');
    expect(text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(text).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
    expect(text).toContain("# TYPE nodejs_heap_size_used_bytes gauge");
    expect(m.contentType).toContain("text/plain");
  });

  it("counts failed runs by code and outcome, blocked egress by entity type, never by value", async () => {
    const m = createGatewayMetrics();
    const blocked = new EgressBlockedError("api.example", [
      { type: "EMAIL", origin: "s1" },
      { type: "EMAIL", origin: "s2" },
      { type: "PERSON", origin: "prompt" },
    ]);
    expect(m.observeError("EGRESS_BLOCKED", blocked, "crm")).toBe("blocked");
    expect(m.observeError("EGRESS_BLOCKED", new EgressBlockedError("api.example", []), "crm")).toBe(
      "blocked",
    );
    expect(m.observeError("client_closed_request", undefined, "crm")).toBe("cancelled");
    expect(m.observeError("PLAN_INVALID", undefined, "crm")).toBe("error");
    expect(await m.value("flm_egress_blocked_total", { reason: "email" })).toBe(1);
    expect(await m.value("flm_egress_blocked_total", { reason: "person" })).toBe(1);
    expect(await m.value("flm_egress_blocked_total", { reason: "unreadable" })).toBe(1);
    expect(await m.value("flm_runs_total", { agent: "crm", outcome: "blocked" })).toBe(2);
    expect(await m.value("flm_runs_total", { agent: "crm", outcome: "cancelled" })).toBe(1);
    expect(await m.value("flm_run_errors_total", { code: "PLAN_INVALID" })).toBe(1);
    expect(await m.value("flm_run_errors_total", { code: "NOPE" })).toBe(0);
    m.auditAppends.inc({ decision: "allowed" });
    expect(await m.render()).toContain('flm_audit_appends_total{decision="allowed"} 1');
  });

  it("two gateways in one process keep their own series", async () => {
    const a = createGatewayMetrics();
    const b = createGatewayMetrics();
    a.inFlight.set(3);
    expect(await a.render()).toContain("flm_runs_in_flight 3");
    expect(await b.render()).toContain("flm_runs_in_flight 0");
  });

  it("routes are a bounded label set", () => {
    expect(routeLabel("/v1/chat/completions")).toBe("/v1/chat/completions");
    expect(routeLabel("/v1/traces/123e4567")).toBe("/v1/traces/:id");
    expect(routeLabel("/anything/alice@example.com")).toBe("other");
  });
});
