import { describe, expect, it } from "vitest";
import { makeTrace } from "../../test/helpers/run-records.js";
import { BLOCKED_BODY, buildRunRecord, summarize } from "./run-record.js";

const SECRET = "CANARY-7f3a91";

describe("buildRunRecord", () => {
  it("keeps the typed prompt, the cloud's view and the answer of an ordinary run", () => {
    const r = buildRunRecord({
      trace: makeTrace("r1"),
      userId: "alice",
      agent: "flm",
      prompt: "Revenue for Hannah?",
      historyTurns: 2,
      answer: "42 [s2]",
      citations: ["s2"],
    });
    expect(r).toMatchObject({
      id: "r1",
      status: "ok",
      prompt: "Revenue for Hannah?",
      historyTurns: 2,
      answer: "42 [s2]",
      citations: ["s2"],
      durationMs: 90,
    });
    expect(summarize(r, 10)).toMatchObject({ cloudTokens: 120, localTokens: 340, blocked: false, bytes: 10 });
  });

  it("stores no content of a blocked run: no prompt, no answer, no blocked body, no step messages", () => {
    const trace = makeTrace("r2", {
      plannerPrompt: `mail ${SECRET}`,
      warnings: [{ kind: "planner-fallback", message: `cloud said ${SECRET}` }],
    });
    trace.egress.push({
      ...trace.egress[0],
      decision: "blocked",
      body: `{"x":"${SECRET}"}`,
      purpose: "repair",
    });
    trace.steps[0] = {
      ...trace.steps[0],
      status: "failed",
      error: { code: "SQL_FAILED", message: `dup ${SECRET}` },
    };
    const r = buildRunRecord({
      trace,
      userId: "alice",
      agent: "flm",
      prompt: `mail ${SECRET}`,
      answer: SECRET,
      error: {
        code: "EGRESS_BLOCKED",
        message: "Blocked a request to api.example.com: it would have sent EMAIL from s1.",
      },
    });
    expect(r.status).toBe("blocked");
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(r.prompt).toBeUndefined();
    expect(r.trace.egress[1].body).toBe(BLOCKED_BODY);
    expect(r.trace.egress[1].sha256).toBe(trace.egress[1].sha256);
    expect(r.trace.egress[0].body).toBe(trace.egress[0].body); // the allowed request did leave, as shown
    expect(r.trace.steps[0].error).toEqual({ code: "SQL_FAILED", message: "[withheld]" });
    expect(r.trace.warnings).toEqual([{ kind: "planner-fallback", message: "[withheld]" }]);
    expect(summarize(r, 1).blocked).toBe(true);
  });

  it("treats a policy block as blocked, a cancel as cancelled and other errors as error", () => {
    const base = { trace: makeTrace("r3"), userId: "u", agent: "a", prompt: "p" };
    expect(buildRunRecord({ ...base, error: { code: "PRIVACY_POLICY_BLOCKED", message: "m" } }).status).toBe(
      "blocked",
    );
    expect(
      buildRunRecord({ ...base, cancelled: true, error: { code: "RUN_CANCELLED", message: "m" } }).status,
    ).toBe("cancelled");
    expect(buildRunRecord({ ...base, error: { code: "PLANNER_FAILED", message: "m" } }).status).toBe("error");
  });

  it("redacts a blocked egress body even in a run that did not end blocked", () => {
    const trace = makeTrace("r4");
    trace.egress[0] = { ...trace.egress[0], decision: "blocked", body: SECRET };
    const r = buildRunRecord({
      trace,
      userId: "u",
      agent: "a",
      prompt: "p",
      error: { code: "PLANNER_FAILED", message: "m" },
    });
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
});
