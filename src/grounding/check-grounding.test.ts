import { describe, expect, it } from "vitest";
import { flagQuality } from "../../test/helpers/grounding-fixtures.js";
import type { StepOutcome } from "../core/step-outcome.js";
import { checkGrounding, isEmptyOutput } from "./check-grounding.js";
import { findDates } from "./dates.js";
import { findNumbers, numberWithin } from "./numbers.js";

const ok = (id: string, output: unknown): StepOutcome => ({
  step: { id, tool: "t", args: {} },
  status: "ok",
  output,
  durationMs: 1,
});
const rows = [
  { CustomerId: 7, Name: "Leonie Köhler", City: "Stuttgart", Total: 1234.5, InvoiceDate: "2024-03-05" },
  { CustomerId: 7, Name: "Leonie Köhler", City: "Stuttgart", Total: 13.86, InvoiceDate: "2023-11-20" },
];
const outcomes = [ok("s1", { rows }), ok("s2", { rows: [] })];
const context = `[s1] find_customer\n${JSON.stringify({ rows })}\n[s2] list_invoices\n{"rows":[]}`;
const check = (answer: string, prompt = "What did Leonie Köhler spend?") =>
  checkGrounding({ answer, context, prompt, outcomes });

describe("checkGrounding", () => {
  it("accepts values from the context whatever their spelling", () => {
    const g = check(
      "LEONIE KOHLER of Stuttgart paid $1,234.50 on 5 March 2024 and 13.86 on November 20th, 2023 [s1].",
    );
    expect(g.ungrounded).toEqual([]);
    expect(g.checked).toBeGreaterThanOrEqual(6);
    expect(g.score).toBe(1);
  });

  it("accepts rounding, counts and totals of the results, and small counts", () => {
    const g = check("She has 2 invoices totalling about 1,248 (1248.36 exactly), the larger 1234.5 [s1].");
    expect(g.ungrounded).toEqual([]);
  });

  it("flags numbers, dates, names and identifiers found in neither context nor prompt", () => {
    const g = check(
      "Leonie Köhler lives in Hamburg, paid 999.99 on 2024-07-14 and her email is leonie@example.com [s1].",
    );
    expect(g.ungrounded.map((u) => [u.kind, u.text])).toEqual([
      ["name", "Hamburg"],
      ["number", "999.99"],
      ["date", "2024-07-14"],
      ["identifier", "leonie@example.com"],
    ]);
    expect(g.score).toBeLessThan(1);
    expect(g.score).toBeGreaterThan(0);
  });

  it("a value the user wrote is grounded", () => {
    expect(check("Order 48213 is unknown.", "Where is order 48213?").ungrounded).toEqual([]);
  });

  it("citations pointing at steps that returned nothing, failed or do not exist are ungrounded", () => {
    const failed: StepOutcome = {
      step: { id: "s3", tool: "t", args: {} },
      status: "failed",
      durationMs: 1,
      error: { code: "X", message: "x" },
    };
    const g = checkGrounding({
      answer: "Stuttgart [s1]. Nothing [s2]. Broken [s3]. Invented [s9].",
      context,
      prompt: "q",
      outcomes: [...outcomes, failed],
    });
    expect(g.ungrounded.map((u) => [u.text, u.reason])).toEqual([
      ["[s2]", "s2 returned nothing"],
      ["[s3]", "s3 failed"],
      ["[s9]", "no step s9 in the plan"],
    ]);
  });

  it("plain words at the start of a sentence are not names; an invented person is", () => {
    const g = check("Customer Leonie Köhler is served by Margaret Thistlewood.");
    expect(g.ungrounded.map((u) => u.text)).toEqual(["Margaret Thistlewood"]);
  });

  it("an answer with nothing to check scores 1", () => {
    expect(check("I do not know.")).toMatchObject({ ungrounded: [], checked: 0, score: 1 });
  });
});

describe("flags on the scripted generators", () => {
  it("flag what the hallucinating generator invented, and nothing of the correct and sloppy ones", () => {
    const q = flagQuality(40);
    expect(q.truePositives).toBeGreaterThan(100);
    expect(q.precision).toBeGreaterThanOrEqual(0.95);
    expect(q.recall).toBeGreaterThanOrEqual(0.95);
  });
});

describe("numbers and dates", () => {
  it("reads grouped, decimal, European and percent spellings", () => {
    const values = findNumbers("1,234.50 and 1.234,50 and 1 234 and 12% and €3").map((n) => n.values);
    expect(values).toEqual([[1234.5], [1234.5], [1], [234], [12], [3]]);
    const [pct] = findNumbers("12.5%");
    expect(numberWithin(pct!, 0.125)).toBe(true);
    const [n] = findNumbers("about 37.6");
    expect(numberWithin(n!, 37.62)).toBe(true);
    expect(numberWithin(n!, 38.1, 0.5)).toBe(true);
    expect(numberWithin(n!, 39, 0.5)).toBe(false);
  });

  it("reads ISO, numeric, and written dates, with and without the year", () => {
    const keys = findDates(
      "2024-03-05T10:30, 03/05/2024, 5 March 2024, March 5th, 2024, Mar 5 and March 2024",
    ).map((d) => d.keys);
    expect(keys).toEqual([
      ["2024-03-05"],
      ["2024-03-05", "2024-05-03"],
      ["2024-03-05"],
      ["2024-03-05"],
      ["--03-05"],
      ["2024-03"],
    ]);
  });

  it("empty outputs", () => {
    expect([null, [], { rows: [] }, "", {}].map(isEmptyOutput)).toEqual([true, true, true, true, true]);
    expect([{ rows: [1] }, 0, "x"].map(isEmptyOutput)).toEqual([false, false, false]);
  });
});
