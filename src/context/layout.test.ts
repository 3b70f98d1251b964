import { describe, expect, it } from "vitest";
import type { StepOutcome } from "../core/step-outcome.js";
import { renderStep, renderValue } from "./layout.js";

describe("context layout", () => {
  it("renders arrays of flat objects as a table, not indented JSON", () => {
    const text = renderValue({
      rows: [
        { id: 1, name: "Ana" },
        { id: 2, name: "Bo|b" },
      ],
      rowCount: 2,
    });
    expect(text).toBe("rows (2):\nid | name\n1 | Ana\n2 | Bo\\|b\nrowCount: 2");
    expect(text).not.toContain("{");
  });

  it("is much smaller than pretty JSON for tabular data", () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({
      customer_id: i,
      first_name: `N${i}`,
      country: "Germany",
    }));
    expect(renderValue(rows).length).toBeLessThan(JSON.stringify(rows, null, 2).length / 2.5);
  });

  it("keeps nested values as compact JSON and marks empty results", () => {
    expect(renderValue({ a: { b: [1, 2] } })).toBe('a: {"b":[1,2]}');
    expect(renderValue([])).toBe("(no items)");
    expect(renderValue(null)).toBe("(nothing)");
    expect(renderValue({ rows: [] })).toBe("rows: (none)");
  });

  it("labels each step with its id, tool and resolved arguments, and failures visibly", () => {
    const ok: StepOutcome = {
      step: { id: "s2", tool: "invoices", args: { id: { $ref: "s1" } } },
      args: { id: 42 },
      status: "ok",
      output: 3,
      durationMs: 1,
    };
    expect(renderStep(ok)).toBe("[s2] invoices(id=42)\n3");
    const failed: StepOutcome = {
      step: { id: "s3", tool: "x", args: {} },
      status: "timeout",
      durationMs: 5,
      error: { code: "STEP_TIMEOUT", message: "too slow" },
    };
    expect(renderStep(failed)).toBe("[s3] x()\nLOOKUP TIMEOUT: too slow");
  });
});
