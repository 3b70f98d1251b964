/**
 * Declared values typed in another form (issue 11, items 4-6), through the gateway with the
 * official `openai` client, judged by what the fake cloud endpoint received: digits only, spaces,
 * dashes or dots, phones with or without country code, e-mail case, invisible and look-alike
 * characters, names with one typo. The placeholder covers the whole value and restores to the
 * value as stored, so the lookup finds the row; a request the pseudonymizer let through is never
 * refused by the egress guard.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenize } from "../../src/privacy/normalize.js";
import {
  CUSTOMERS,
  marker,
  type PrivacyGateway,
  questionOf,
  startPrivacyGateway,
} from "../helpers/privacy-gateway.js";

let gw: PrivacyGateway;
beforeAll(async () => {
  gw = await startPrivacyGateway();
}, 30_000);
afterAll(() => gw?.close());

const digits = (s: string) => s.replace(/[^0-9]/g, "");
/** Everything the cloud received in one request, in the forms a leak could take. */
function cloudSince(before: number) {
  const bodies = gw.models.cloud.requests.slice(before);
  const text = bodies.map((r) => r.body).join("\n");
  let decoded = "";
  for (const r of bodies) decoded += `${JSON.stringify(r.json)}\n${questionOf(r)}\n`;
  return {
    count: bodies.length,
    question: bodies.map(questionOf).join("\n"),
    digits: digits(text + decoded),
    tokens: ` ${tokenize(`${text}\n${decoded}`).tokens.join(" ")} `,
  };
}

/** Asks; returns the answer and what the cloud received. */
async function ask(prompt: string) {
  const before = gw.models.cloud.requests.length;
  const answer = await gw.ask(prompt);
  return { answer, cloud: cloudSince(before) };
}

const [maria, olivia, jonathan] = CUSTOMERS as [
  (typeof CUSTOMERS)[0],
  (typeof CUSTOMERS)[0],
  (typeof CUSTOMERS)[0],
];

describe("identifiers typed in another grouping never reach the cloud, and still find the row", () => {
  const cases: Array<{ value: string; row: number; typed: string[] }> = [
    {
      value: maria.ssn,
      row: 0,
      typed: [
        "999123456",
        "999 12 3456",
        "999.12.3456",
        "999/12/3456",
        "999\u201112\u20113456",
        "SSN999123456",
      ],
    },
    {
      value: maria.phone,
      row: 0,
      typed: [
        "4025550142",
        "402-555-0142",
        "402.555.0142",
        "(402)555-0142",
        "+1 402 555 0142",
        "+1 (402) 555-0142",
        "1-402-555-0142",
        "+14025550142",
        "001 402 555 0142",
      ],
    },
    {
      value: olivia.phone,
      row: 1,
      typed: [
        "030 1234567",
        "0049 30 1234567",
        "+49 (0)30 1234567",
        "+4930 1234567",
        "030/123 45 67",
        "+49-30-1234567",
      ],
    },
    {
      value: olivia.iban,
      row: 1,
      typed: ["GB29NWBK60161331926819", "gb29 nwbk 6016 1331 9268 19", "GB29-NWBK-6016-1331-9268-19"],
    },
  ];
  for (const { value, row, typed } of cases)
    for (const form of typed)
      it(`${value} typed as "${form}"`, async () => {
        const { answer, cloud } = await ask(`Which customer has ${form}? Please check.`);
        expect(cloud.count).toBeGreaterThanOrEqual(1);
        expect(cloud.question).toMatch(/<(US_SSN|PHONE|IBAN)_\d+>/);
        expect(cloud.digits).not.toContain(digits(value).slice(-7));
        expect(cloud.tokens).not.toContain(` ${tokenize(form).tokens.join(" ")} `);
        // Restored to the value as stored: the lookup found the row.
        expect(answer).toContain(marker(row));
      });
});

describe("names and e-mails typed differently never reach the cloud", () => {
  const cases: Array<{ typed: string; row?: number }> = [
    { typed: "maria.keller@ACME-MAIL.DE", row: 0 },
    { typed: "MARIA.KELLER@acme-mail.de", row: 0 },
    { typed: "Mar\u200bia Keller", row: 0 },
    { typed: "Maria Kel\u00adler", row: 0 },
    { typed: "M\u200daria\u2060 Keller", row: 0 },
    { typed: "\ufeffMaria Keller", row: 0 },
    { typed: "M\u0430ria Keller", row: 0 }, // Cyrillic a
    { typed: "MARIA  KELLER", row: 0 },
    // One typo in a name of five or more letters: caught, restored as typed (no silent correction).
    { typed: "Maria Kelle" },
    { typed: "Maria Kelelr" },
    { typed: "Maria Kellar" },
    { typed: "Jonathn Whitfield" },
    { typed: "Jonathan Whitfeld" },
  ];
  for (const { typed, row } of cases)
    it(`"${typed.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}"`, async () => {
      const { answer, cloud } = await ask(`What is the phone number of ${typed}?`);
      expect(cloud.question).toMatch(/<(PERSON|EMAIL)_\d+>/);
      for (const word of tokenize(typed).tokens) expect(cloud.tokens).not.toContain(` ${word} `);
      if (row !== undefined) expect(answer).toContain(marker(row));
    });

  // Lower case, no title, no first name: nothing but the declared index can know these are names.
  for (const typed of ["kelle", "kellr", "kelelr", "whitfeld", "whitfiled", "whitfeild"])
    it(`surname typed as "${typed}"`, async () => {
      const { cloud } = await ask(`did ${typed} pay the last invoice?`);
      expect(cloud.question).toMatch(/did <PERSON_\d+> pay/);
      expect(cloud.tokens).not.toContain(` ${typed} `);
    });

  it("a name one typo off in a longer sentence still leaves no part of it", async () => {
    const { cloud } = await ask("Did jonathan whitfeld pay, and what about his SSN?");
    expect(cloud.tokens).not.toContain(" whitfeld ");
    expect(cloud.tokens).not.toContain(" jonathan ");
  });
});

describe("a placeholder covers the whole value and restores it exactly", () => {
  it('"(402) 555-0142" becomes one placeholder, parentheses included, and the lookup finds the row', async () => {
    const { answer, cloud } = await ask("Who has phone (402) 555-0142?");
    expect(cloud.question).toMatch(/Who has phone <PHONE_\d+>\?/);
    expect(answer).toContain(marker(0));
  });

  it("the declared punctuation of other values is covered too", async () => {
    const { answer, cloud } = await ask(`Who has the IBAN ${olivia.iban}, and who is ${jonathan.phone}?`);
    expect(cloud.question).toMatch(/the IBAN <IBAN_\d+>, and who is <PHONE_\d+>\?/);
    expect(answer).toContain(marker(1));
  });
});

describe("what the pseudonymizer leaves, the egress guard accepts (declared surname 'Green')", () => {
  const prompts = [
    "make the .green-bg class darker",
    "rename green_button to primary_button in the form",
    "why is #green-header hidden on mobile?",
    "the color green-500 looks off in dark mode",
    "set feature flag ui/green to false",
    "is green a good colour for a success badge?",
    "GREEN and red are both status colours",
  ];
  for (const prompt of prompts)
    it(`"${prompt}" is planned, not blocked`, async () => {
      const { answer, cloud } = await ask(prompt);
      expect(cloud.count).toBe(1);
      expect(answer).toContain("From the records");
    });

  it("glued into an identifier the word stays as typed; on its own it is pseudonymized", async () => {
    const glued = await ask("make the .green-bg class darker");
    expect(glued.cloud.question).toContain(".green-bg");
    const alone = await ask("Is Mrs Green a customer?");
    expect(alone.cloud.question).toMatch(/Mrs <PERSON_\d+>/);
    expect(alone.cloud.tokens).not.toContain(" green ");
  });
});
