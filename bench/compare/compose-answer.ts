import { approximateTokenCounter } from "../../src/context/token-counter.js";
import type { WorkloadQuestion } from "./workload.js";

const FILLER = [
  "These figures come straight from the store's invoice records.",
  "Amounts are in US dollars and include every line on the invoices concerned.",
  "Where several rows matched, I listed the most relevant ones first.",
  "Nothing in the results suggests missing or duplicated entries.",
  "Let me know if you want the same breakdown for another period or customer.",
  "Totals are rounded to two decimals, as they appear on the invoices.",
];

/**
 * A deterministic answer of about `targetTokens` tokens that quotes values from the data the
 * model was shown, so whichever model writes it, answers are alike in length and substance.
 */
export function composeAnswer(q: WorkloadQuestion, data: string, targetTokens: number): string {
  const facts = [
    ...new Set(
      (
        data
          .replace(/"?[A-Za-z]+"?\s*[:|]/g, " ")
          .match(/\d+\.\d{2}\b|\b\p{Lu}[\p{L}'&-]+(?: \p{Lu}[\p{L}'&-]+)*/gu) ?? []
      ).filter((v) => v.length > 2 && !q.question.includes(v)),
    ),
  ].slice(0, 8);
  const parts = [
    `Based on the lookups, here is the answer to "${q.question}"`,
    facts.length
      ? `The relevant entries are ${facts.slice(0, -1).join(", ")}${facts.length > 1 ? " and " : ""}${facts.at(-1)} [s1].`
      : "The lookups returned no matching records [s1].",
  ];
  let text = parts.join(" ");
  for (let i = 0; approximateTokenCounter.count(text) < targetTokens && i < 40; i++) {
    text += ` ${FILLER[i % FILLER.length]}`;
  }
  return text;
}
