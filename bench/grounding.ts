/**
 * The grounding check's cost: a ~1 KB answer against a ~4k-token (~16 KB) context of tool results,
 * as the agent runs it after every answer (sources prepared once, then the answer checked).
 * Target: < 2 ms per answer. Also reports precision and recall of the flags on answers of the
 * scripted hallucinating generator (test/helpers/scripted-generators.ts), whose invented spans are known.
 *
 *   npm run bench:grounding
 */
import { checkGrounding, groundingSources } from "../src/grounding/check-grounding.js";
import { approximateTokenCounter } from "../src/context/token-counter.js";
import { contextOf, flagQuality, syntheticOutcomes } from "../test/helpers/grounding-fixtures.js";
import { hallucinatingAnswer } from "../test/helpers/scripted-generators.js";

const outcomes = syntheticOutcomes({ rows: 130, seed: 7 });
const context = contextOf(outcomes);
const prompt = "Which customers spent the most, when did they last buy, and who looks after them?";
const answer = hallucinatingAnswer(context, { seed: 3, maxChars: 1024 }).text;

// Warm the word lists (loaded once per process) and the JIT.
for (let i = 0; i < 50; i++) checkGrounding({ answer, context, prompt, outcomes });

const N = 400;
const times: number[] = [];
for (let i = 0; i < N; i++) {
  const t0 = performance.now();
  checkGrounding({ answer, context, prompt, outcomes });
  times.push(performance.now() - t0);
}
const sources = groundingSources({ context, prompt, outcomes });
const answerOnly: number[] = [];
for (let i = 0; i < N; i++) {
  const t0 = performance.now();
  checkGrounding({ answer, context, prompt, outcomes }, sources);
  answerOnly.push(performance.now() - t0);
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;
console.log(
  `context ${context.length} chars (~${approximateTokenCounter.count(context)} tokens), answer ${answer.length} chars`,
);
console.log(
  `grounding check, sources + answer: p50 ${pct(times, 0.5).toFixed(3)} ms, p95 ${pct(times, 0.95).toFixed(3)} ms (target < 2 ms)`,
);
console.log(
  `grounding check, answer only (sources reused, as for a retry): p50 ${pct(answerOnly, 0.5).toFixed(3)} ms, p95 ${pct(answerOnly, 0.95).toFixed(3)} ms`,
);

const quality = flagQuality(200);
console.log(
  `flags on ${quality.answers} hallucinating answers (+ the correct and sloppy answers to the same contexts): precision ${quality.precision.toFixed(3)}, recall ${quality.recall.toFixed(3)} (${quality.truePositives} invented spans flagged, ${quality.falsePositives} false flags, ${quality.falseNegatives} missed)`,
);
