import { describe, expect, it } from "vitest";
import type { RunTrace } from "../../core/trace.js";
import { makeRecord } from "../../../test/helpers/run-records.js";
import { RunPageView } from "./run-page.js";

const render = (grounding?: Partial<RunTrace>) =>
  String(
    RunPageView({
      base: "/console",
      title: "Run",
      user: { id: "admin", csrf: "x" },
      run: makeRecord("r1", { trace: grounding }),
    }),
  );

describe("grounding badge on the run page", () => {
  it("says grounded when every value was found, and lists what was not otherwise (escaped)", () => {
    const ok = render({ grounding: { ungrounded: [], checked: 4, score: 1 } });
    expect(ok).toContain('data-grounding="0"');
    expect(ok).toContain(">grounded</span>");
    const flagged = render({
      grounding: {
        ungrounded: [{ kind: "name", text: "<Zed>", start: 0, end: 5 }],
        checked: 2,
        score: 0.5,
        action: "refused",
      },
    });
    expect(flagged).toContain('data-grounding="1"');
    expect(flagged).toContain("1 ungrounded (refused)");
    expect(flagged).toContain("&lt;Zed&gt;");
    expect(flagged).not.toContain("<Zed>");
  });

  it("shows no badge for a run without a grounding check", () => {
    expect(render()).not.toContain("data-grounding");
  });
});
