import { describe, expect, it } from "vitest";
import { IdentifierForms, identifierForms } from "./identifier-forms.js";
import { lexText, RAW } from "./lexed-tokens.js";
import { tokenize } from "./normalize.js";

const forms = (value: string) => identifierForms(value, tokenize(value).tokens);

describe("identifierForms", () => {
  it("is the compact form of values made of digit groups (and short letter groups)", () => {
    expect(forms("999-12-3456")).toEqual(["999123456"]);
    expect(forms("DE89 3704 0044 0532 0130 00")).toEqual(["de89370400440532013000"]);
    expect(forms("GB29 NWBK 6016 1331 9268 19")).toEqual(["gb29nwbk60161331926819"]);
  });
  it("adds the forms a phone number is also typed in", () => {
    expect(forms("(402) 555-0142")).toEqual(["4025550142", "14025550142"]);
    expect(forms("+49 30 1234567")).toEqual(["49301234567", "301234567", "0301234567"]);
    expect(forms("030 1234567")).toEqual(["0301234567", "301234567"]);
  });
  it("leaves words, short numbers and dates to exact matching", () => {
    expect(forms("Maria Keller")).toEqual([]);
    expect(forms("12 Main Street")).toEqual([]);
    expect(forms("2013")).toEqual([]);
    expect(forms("12345")).toEqual([]);
  });
});

describe("IdentifierForms.scan", () => {
  const index = new IdentifierForms();
  index.add("999-12-3456", tokenize("999-12-3456").tokens, 0);
  index.add("(402) 555-0142", tokenize("(402) 555-0142").tokens, 1);
  index.add("GB29 NWBK 6016 1331 9268 19", tokenize("GB29 NWBK 6016 1331 9268 19").tokens, 2);
  const scan = (text: string) => {
    const out: Array<[string, number]> = [];
    index.scan(lexText(text), RAW, (m) => out.push([text.slice(m.start, m.end), m.entry]));
    return out;
  };

  it("finds any grouping between token or letter/digit boundaries", () => {
    expect(scan("ssn 999123456, 999 12 3456 or SSN999123456.")).toEqual([
      ["999123456", 0],
      ["999 12 3456", 0],
      ["999123456", 0],
    ]);
    expect(scan("iban gb29nwbk60161331926819")).toEqual([["gb29nwbk60161331926819", 2]]);
  });
  it("covers a country code typed before a number declared without one", () => {
    expect(scan("call +1 (402) 555-0142 or 001 402 555 0142")).toEqual([
      ["+1 (402) 555-0142", 1],
      ["001 402 555 0142", 1],
    ]);
  });
  it("does not match inside longer numbers or across sentences", () => {
    expect(scan("1999123456 and 9991234567")).toEqual([]);
    expect(scan("code 999, 12, 3456")).toEqual([]);
    expect(scan("999\n12\n3456")).toEqual([]);
  });
});
