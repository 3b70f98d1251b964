import { describe, expect, it } from "vitest";
import { alignTyped, splitPlaceholders } from "./align-placeholders.js";

describe("placeholder highlighting", () => {
  it("splits the cloud's text into literals and placeholders", () => {
    expect(splitPlaceholders("Mail <EMAIL_1> about <PERSON_2>.")).toEqual([
      { text: "Mail " },
      { text: "<EMAIL_1>", placeholder: "<EMAIL_1>" },
      { text: " about " },
      { text: "<PERSON_2>", placeholder: "<PERSON_2>" },
      { text: "." },
    ]);
    expect(splitPlaceholders("no placeholders <b>")).toEqual([{ text: "no placeholders <b>" }]);
  });

  it("finds the typed values behind each placeholder", () => {
    const cloud = splitPlaceholders("Mail <EMAIL_1> about <PERSON_2>.");
    expect(alignTyped("Mail a@b.example about Hannah Schneider.", cloud)).toEqual([
      { text: "Mail " },
      { text: "a@b.example", placeholder: "<EMAIL_1>" },
      { text: " about " },
      { text: "Hannah Schneider", placeholder: "<PERSON_2>" },
      { text: "." },
    ]);
  });

  it("handles placeholders at either end and side by side", () => {
    expect(alignTyped("Hannah", splitPlaceholders("<PERSON_1>"))).toEqual([
      { text: "Hannah", placeholder: "<PERSON_1>" },
    ]);
    expect(alignTyped("Ann Lee", splitPlaceholders("<PERSON_1><PERSON_2>"))).toEqual([
      { text: "Ann Lee", placeholder: "<PERSON_1> <PERSON_2>" },
    ]);
  });

  it("gives up (undefined) when the texts do not line up", () => {
    expect(alignTyped("something else", splitPlaceholders("Mail <EMAIL_1>."))).toBeUndefined();
    expect(alignTyped("Mail .", splitPlaceholders("Mail <EMAIL_1>."))).toBeUndefined();
    expect(alignTyped("Mail x. extra", splitPlaceholders("Mail <EMAIL_1>."))).toBeUndefined();
  });

  it("stays linear on a hostile prompt", () => {
    const typed = "a".repeat(200_000);
    const cloud = splitPlaceholders(`${"<X_1>a".repeat(5000)}b`);
    const t0 = performance.now();
    expect(alignTyped(typed, cloud)).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
