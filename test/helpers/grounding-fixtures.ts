/** Tool results with names, amounts and dates, rendered as the agent renders a context. */
import { renderStep } from "../../src/context/layout.js";
import type { StepOutcome } from "../../src/core/step-outcome.js";
import { checkGrounding } from "../../src/grounding/check-grounding.js";
import { correctAnswer, hallucinatingAnswer, sloppyAnswer } from "./scripted-generators.js";

const FIRST = [
  "Leonie",
  "François",
  "Astrid",
  "Eduardo",
  "Helena",
  "Kara",
  "Manoj",
  "Puja",
  "Enrique",
  "Roberto",
];
const LAST = [
  "Köhler",
  "Tremblay",
  "Gruber",
  "Martins",
  "Holý",
  "Nielsen",
  "Pareek",
  "Srivastava",
  "Muñoz",
  "Almeida",
];
const CITIES = [
  "Stuttgart",
  "Montréal",
  "Vienne",
  "São Paulo",
  "Prague",
  "Copenhagen",
  "Bangalore",
  "Delhi",
  "Santiago",
];

export function syntheticOutcomes(options: { rows: number; seed: number }): StepOutcome[] {
  let s = options.seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  const rows = Array.from({ length: options.rows }, (_, i) => ({
    CustomerId: 100 + i,
    Name: `${pick(FIRST)} ${pick(LAST)}`,
    City: pick(CITIES),
    Total: Math.round(next() * 200000) / 100,
    LastInvoice: `202${Math.floor(next() * 5)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`,
    SupportRep: `${pick(FIRST)} ${pick(LAST)}`,
  }));
  const ok = (id: string, tool: string, output: unknown): StepOutcome => ({
    step: { id, tool, args: {} },
    status: "ok",
    output,
    durationMs: 1,
  });
  return [ok("s1", "top_customers", { rows }), ok("s2", "find_employee", { rows: [] })];
}

export function contextOf(outcomes: StepOutcome[]): string {
  return outcomes.map(renderStep).join("\n\n");
}

/**
 * Precision and recall of the grounding flags on `n` hallucinating answers over synthetic results
 * (flags on the correct and sloppy generators' answers to the same contexts count as false flags).
 */
export function flagQuality(n: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const outcomes = syntheticOutcomes({ rows: 3 + (i % 6), seed: 11 + i });
    const context = contextOf(outcomes);
    const { text, invented } = hallucinatingAnswer(context, { seed: 101 + i });
    const flags = checkGrounding({
      answer: text,
      context,
      prompt: "Who are our best customers?",
      outcomes,
    }).ungrounded.map((u) => u.text);
    const hit = (flag: string) => invented.some((v) => v.includes(flag) || flag.includes(v));
    for (const f of flags)
      if (hit(f)) tp++;
      else fp++;
    for (const v of invented) if (!flags.some((f) => v.includes(f) || f.includes(v))) fn++;
    // The correct and sloppy generators invent nothing: every flag on them is a false one.
    for (const honest of [correctAnswer(context), sloppyAnswer(context)])
      fp += checkGrounding({ answer: honest, context, prompt: "Who are our best customers?", outcomes })
        .ungrounded.length;
  }
  return {
    answers: n,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp ? tp / (tp + fp) : 1,
    recall: tp + fn ? tp / (tp + fn) : 1,
  };
}
