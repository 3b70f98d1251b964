/**
 * The pseudonymizer and the egress guard share one tokenization and one notion of a mention, so
 * whatever the pseudonymizer leaves in a prompt, the guard accepts, in whatever JSON body a
 * provider wraps it (issue 11, item 5). Property test over random prompts built from declared
 * values in many forms and contexts.
 */
import { describe, expect, it } from "vitest";
import { structuredDetectors } from "./detectors/index.js";
import { scanBody } from "./scan-body.js";
import { PlaceholderVault } from "./placeholder-vault.js";
import { createPseudonymizer } from "./pseudonymizer.js";
import { ValueIndex } from "./value-index.js";

const DECLARED: Array<[type: string, value: string]> = [
  ["PERSON", "Maria Keller"],
  ["PERSON", "Green"],
  ["PERSON", "May"],
  ["PERSON", "José García"],
  ["PERSON", "Keller"],
  ["US_SSN", "999-12-3456"],
  ["PHONE", "(402) 555-0142"],
  ["PHONE", "+49 30 1234567"],
  ["EMAIL", "maria.keller@acme.de"],
  ["IBAN", "GB29 NWBK 6016 1331 9268 19"],
  ["CITY", "Köln"],
];
const PIECES = [
  "Maria Keller",
  "maria\nkeller",
  "MARIA-KELLER",
  "green",
  ".green-bg",
  "green_button",
  "#green",
  "Green's",
  "may",
  "May 2024",
  "josé garcía",
  "jose_garcia",
  "keller",
  "keller.pdf",
  "/keller/",
  "999123456",
  "999-12-3456",
  "ssn:999.12.3456",
  "(402) 555-0142",
  "+1 402 555 0142",
  "+4930 1234567",
  "maria.keller@acme.de",
  "MARIA.KELLER@ACME.DE",
  "gb29nwbk60161331926819",
  "Ko\u0308ln",
  "K\u00f6ln-Deutz",
  "Mar\u200bia",
  "Kel\u00adler",
  "the",
  "make",
  "class",
  "darker",
  '"quoted"',
  "\\",
  "\t",
  "\n",
  "/",
  "-",
  ".",
  "(",
  ")",
  "@",
  "_",
  "<PERSON_1>",
  "😀",
  "12",
  "3456",
];

let seed = 5;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;

describe("what the pseudonymizer leaves, the egress guard accepts", () => {
  const values = new ValueIndex();
  for (const [type, value] of DECLARED) values.add({ type, value, origin: `crm.${type}` });
  const pseudonymizer = createPseudonymizer({ valueIndex: values, detectors: structuredDetectors() });

  it("on random prompts, in the bodies providers send", () => {
    let replaced = 0;
    for (let i = 0; i < 1500; i++) {
      const prompt = Array.from({ length: 3 + Math.floor(rnd() * 10) }, () => pick(PIECES)).join(
        pick(["", " ", " ", "\n", ", "]),
      );
      const out = pseudonymizer.pseudonymize(prompt, new PlaceholderVault()).text;
      if (out !== prompt) replaced++;
      const messages = [
        { role: "system", content: "Plan tool calls." },
        { role: "user", content: out },
      ];
      // As the providers serialize them (JSON.stringify: non-ASCII stays literal). A body that
      // \u-escapes letters is scanned in its raw form too, where an escape splits a word: the guard
      // may refuse more there (fail closed), never less.
      const bodies = [
        JSON.stringify({ model: "m", messages }),
        JSON.stringify({ contents: [{ parts: [{ text: out }] }] }),
      ];
      for (const body of bodies) expect(scanBody(body, [values]), `${prompt}\n=> ${out}`).toEqual([]);
    }
    expect(replaced).toBeGreaterThan(1000);
  });
});
