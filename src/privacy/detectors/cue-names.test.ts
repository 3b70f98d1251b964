import { describe, expect, it } from "vitest";
import { cueNameDetector } from "./cue-names.js";

const found = (text: string, type: string) =>
  cueNameDetector
    .detect(text)
    .filter((s) => s.type === type)
    .map((s) => s.value);

describe("cueNameDetector", () => {
  it("finds lower-case people after relations, actions and greetings, in several languages", () => {
    expect(found("remind my wife ngozi and email okonkwo about it", "PERSON")).toEqual(
      expect.arrayContaining(["ngozi", "okonkwo"]),
    );
    expect(found("hey grace, the build broke", "PERSON")).toContain("grace");
    expect(found("переведи: привет Светлана, как дела", "PERSON")).toContain("Светлана");
    expect(found("山田さんに送るメール、김서윤님에게", "PERSON")).toEqual(
      expect.arrayContaining(["山田", "김서윤"]),
    );
  });
  it("finds organisations after workplace cues and towns after travel cues", () => {
    expect(found("a role at quarry hill bank. thanks", "ORGANIZATION")).toContain("quarry hill bank");
    expect(found("flying to tucson next week", "LOCATION")).toContain("tucson");
  });
  it("does not take ordinary words", () => {
    expect(found("hi team, I work at home and want to withdraw money", "PERSON")).toEqual([]);
    expect(found("I work at home and want to withdraw money", "ORGANIZATION")).toEqual([]);
  });
});

describe("cueNameDetector, lower-case towns", () => {
  it("finds a lower-case town of 50,000+ that is not an English word", () => {
    expect(found("sales - knoxville; support - remote", "LOCATION")).toContain("knoxville");
    expect(found("from cork to york", "LOCATION")).not.toContain("cork");
  });
});

describe("cueNameDetector, names without a cue", () => {
  it("finds lower-case first names that are no English word, and organisations by their last word", () => {
    expect(found("attendees: yusuf, dmitri", "PERSON")).toEqual(expect.arrayContaining(["yusuf", "dmitri"]));
    expect(found("my doctor at quorvel pharma and Brixham Dental", "ORGANIZATION")).toEqual(
      expect.arrayContaining(["quorvel pharma", "Brixham Dental"]),
    );
    expect(found("the central bank and my dental plan", "ORGANIZATION")).toEqual([]);
  });
});
