/**
 * Answer scores of one run: facts the answer states (recall), false facts (values the grounding
 * check found in neither the context nor the prompt, and values the suite forbids), citations
 * that point at a step that returned data, and whether declining was right.
 */
import type { Grounding } from "../core/grounding.js";
import type { StepOutcome } from "../core/step-outcome.js";
import { isEmptyOutput } from "../grounding/check-grounding.js";
import type { EvalQuestion } from "./eval-suite-schema.js";
import { expectedValue, readAnswer, saysIDontKnow, states } from "./match-values.js";

export interface AnswerScore {
  /** Expected facts stated, 0–1; undefined when the question lists none. */
  factRecall?: number;
  /** Expected facts not stated (labels or values), for the report. */
  missing: string[];
  /** Ungrounded values (grounding check) + forbidden values stated. */
  falseFacts: number;
  falseFactSpans: string[];
  /** Citations pointing at a step that returned data, 0–1; undefined without citations. */
  citationValidity?: number;
  citations: number;
  /** The answer declines ("I don't know"). */
  declined: boolean;
  /** Declining was the right answer and it declined without stating anything false. */
  correctRefusal?: boolean;
  /** 0–1: recall when nothing false was stated (0 otherwise); a right refusal is 1. */
  score: number;
  /** All facts, nothing false, the right decision to decline or not. */
  correct: boolean;
}

export function scoreAnswer(
  question: EvalQuestion,
  answer: string,
  outcomes: StepOutcome[],
  grounding: Grounding | undefined,
): AnswerScore {
  const read = readAnswer(answer);
  const facts = (question.facts ?? []).map(expectedValue);
  const missing = facts.filter((f) => !states(read, f)).map((f) => f.label ?? String(f.value));
  const forbidden = (question.mustNotContain ?? []).filter((v) => states(read, expectedValue(v))).map(String);
  const ungrounded = (grounding?.ungrounded ?? []).filter((u) => u.kind !== "citation").map((u) => u.text);
  const falseFactSpans = [...ungrounded, ...forbidden];
  const steps = new Map(outcomes.map((o) => [o.step.id, o]));
  const ids = citedSteps(answer);
  const valid = ids.filter((id) => {
    const o = steps.get(id);
    return o?.status === "ok" && !isEmptyOutput(o.output);
  }).length;
  const declined = saysIDontKnow(answer);
  const factRecall = facts.length ? (facts.length - missing.length) / facts.length : undefined;
  const idk = question.idk === true;
  const correctRefusal = idk ? declined && falseFactSpans.length === 0 : undefined;
  const clean = falseFactSpans.length === 0;
  const score = idk ? (correctRefusal ? 1 : 0) : clean && !(declined && facts.length) ? (factRecall ?? 1) : 0;
  return {
    factRecall: factRecall === undefined ? undefined : round(factRecall),
    missing,
    falseFacts: falseFactSpans.length,
    falseFactSpans,
    citationValidity: ids.length ? round(valid / ids.length) : undefined,
    citations: ids.length,
    declined,
    correctRefusal,
    score: round(score),
    correct: idk ? correctRefusal === true : clean && missing.length === 0 && !(declined && facts.length > 0),
  };
}

/** Step ids the answer cites as `[s1]`, `[s1, s2]`, in order, once each (valid or not). */
export function citedSteps(answer: string): string[] {
  const ids = new Set<string>();
  for (const m of answer.matchAll(/\[([^\]\n]{1,200})\]/g))
    for (const part of m[1]!.split(/[\s,;·|]+/)) {
      const id = part.replace(/[^\w-]/g, "");
      if (/^[A-Za-z]{1,3}\d{1,4}$/.test(id)) ids.add(id);
    }
  return [...ids];
}

const round = (x: number) => Math.round(x * 1000) / 1000;
