/**
 * Over-redaction (issue 11, item 7), through the gateway with the official `openai` client: common
 * words at line starts and well-known acronyms are not entities, so the cloud planner receives the
 * question as asked, with only the real values replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { marker, type PrivacyGateway, questionOf, startPrivacyGateway } from "../helpers/privacy-gateway.js";

let gw: PrivacyGateway;
beforeAll(async () => {
  gw = await startPrivacyGateway();
}, 30_000);
afterAll(() => gw?.close());

async function ask(prompt: string) {
  const before = gw.models.cloud.requests.length;
  const answer = await gw.ask(prompt);
  return { answer, question: gw.models.cloud.requests.slice(before).map(questionOf).join("\n") };
}

describe("the cloud receives the question as asked, only the values replaced", () => {
  const cases: Array<[prompt: string, expected: RegExp, row?: number]> = [
    ["Please look up\nMaria\nKeller", /^Please look up\n<PERSON_\d+>$/, 0],
    ["What is the SSN of Maria Keller?", /^What is the SSN of <PERSON_\d+>\?$/, 0],
    [
      "Check the IBAN and the VAT id of Jonathan Whitfield",
      /^Check the IBAN and the VAT id of <PERSON_\d+>$/,
      2,
    ],
    ["Show me\nthe phone of\nOlivia Green", /^Show me\nthe phone of\n<PERSON_\d+>$/, 1],
    ["Find all customers\nwith open invoices", /^Find all customers\nwith open invoices$/],
    [
      "Hello\nCan you list the DOB and PIN fields of the CRM?",
      /^Hello\nCan you list the DOB and PIN fields of the CRM\?$/,
    ],
    [
      "Translate to German\nplease: the KPI and ROI report, as CSV",
      /^Translate to German\nplease: the KPI and ROI report, as CSV$/,
    ],
    ["Summarize\nthe GDPR request from the HR team", /^Summarize\nthe GDPR request from the HR team$/],
  ];
  for (const [prompt, expected, row] of cases)
    it(JSON.stringify(prompt), async () => {
      const { answer, question } = await ask(prompt);
      expect(question).toMatch(expected);
      if (row !== undefined) expect(answer).toContain(marker(row));
    });
});
