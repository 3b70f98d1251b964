import { describe, expect, it } from "vitest";
import { PlaceholderVault } from "./placeholder-vault.js";

describe("PlaceholderVault", () => {
  it("issues stable typed placeholders per value", () => {
    const vault = new PlaceholderVault();
    expect(vault.placeholderFor("PERSON", "Maria Keller")).toBe("<PERSON_1>");
    expect(vault.placeholderFor("EMAIL", "m@acme.de")).toBe("<EMAIL_1>");
    expect(vault.placeholderFor("PERSON", "Jan Novak")).toBe("<PERSON_2>");
    // Later turn, different case: same placeholder.
    expect(vault.placeholderFor("PERSON", "maria KELLER")).toBe("<PERSON_1>");
    expect(vault.lookup("<PERSON_1>")).toBe("Maria Keller");
  });

  it("restores placeholders deeply without mutating the input", () => {
    const vault = new PlaceholderVault();
    vault.placeholderFor("EMAIL", "m@acme.de");
    vault.placeholderFor("PERSON", "Maria Keller");
    const args = { email: "<EMAIL_1>", filter: ["name = '<PERSON_1>'", 3], nested: { n: null } };
    expect(vault.restore(args)).toEqual({
      email: "m@acme.de",
      filter: ["name = 'Maria Keller'", 3],
      nested: { n: null },
    });
    expect(args.email).toBe("<EMAIL_1>");
  });

  it("lists invented and garbled placeholders", () => {
    const vault = new PlaceholderVault();
    vault.placeholderFor("EMAIL", "m@acme.de");
    const plan = {
      a: "<EMAIL_1>",
      b: "<EMAIL_2>",
      c: ["<email_1>", "<PERSON 3>", "<EMAIL1>"],
      d: "<h1>ok</h1>",
    };
    expect(vault.unknownPlaceholders(plan)).toEqual(["<EMAIL_2>", "<email_1>", "<PERSON 3>", "<EMAIL1>"]);
    expect(() => vault.assertKnown(plan)).toThrow(expect.objectContaining({ code: "PLACEHOLDER_UNKNOWN" }));
    expect(() => vault.assertKnown({ a: "<EMAIL_1>" })).not.toThrow();
  });
});
