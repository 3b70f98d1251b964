import { describe, expect, it } from "vitest";
import { getLexicon } from "./lexicon.js";
import { capitalizedRuns, properNounSpans, tokenize } from "./proper-noun-rules.js";

const ALL = { person: true, organization: true, location: true };
const found = (text: string, type: string) =>
  properNounSpans(text, getLexicon(), ALL)
    .filter((s) => s.type === type)
    .map((s) => s.value);

describe("capitalizedRuns", () => {
  it("groups capitalized words on one line, with initials and inner particles", () => {
    const text = "Ask Hanne I. Kreutzmann and Willemine ten Pas, then Bob\nSmith";
    const runs = capitalizedRuns(text, tokenize(text)).map((r) => r.map((t) => t.text).join(" "));
    expect(runs).toEqual(["Ask Hanne I. Kreutzmann", "Willemine ten Pas", "Bob", "Smith"]);
  });
});

describe("properNounSpans", () => {
  it("a known first name followed by surname-like words is a person", () => {
    expect(found("Yesterday Hanne I. Kreutzmann called", "PERSON")).toContain("Hanne I. Kreutzmann");
    expect(found("The Steffen Mauer version", "PERSON")).toContain("Steffen Mauer");
  });
  it("a run of capitalized non-English words is a person", () => {
    expect(found("Have you been to a Calquín Cazares concert?", "PERSON")).toContain("Calquín Cazares");
    expect(found("Maybe it's under Miklós Hajdu", "PERSON")).toContain("Miklós Hajdu");
  });
  it("does not take English words, products, streets or numbered runs for people", () => {
    expect(found("List the Top Selling Artists by Genre", "PERSON")).toEqual([]);
    expect(found("Query PostgreSQL and MongoDB via GitHub Actions", "PERSON")).toEqual([]);
    expect(found("He lives on Joaquin Suarez 2906.", "PERSON")).toEqual([]);
    expect(found("Meet at Rue Al Imam", "PERSON")).toEqual([]);
  });
  it("finds a lone known first name but not one that is a common word", () => {
    expect(found("Why is Hannah so impulsive?", "PERSON")).toContain("Hannah");
    expect(found("Will you send it in May?", "PERSON")).toEqual([]);
  });
  it("finds lower-case names only as first name + non-English word", () => {
    expect(found("follow up with patricia desrosiers soon", "PERSON")).toContain("patricia desrosiers");
    expect(found("follow up with the customers soon", "PERSON")).toEqual([]);
  });
  it("takes speaker labels of a dialogue, not form fields", () => {
    expect(new Set(found("Ubul: What a wife.\nNicole: Remember me?", "PERSON"))).toEqual(
      new Set(["Ubul", "Nicole"]),
    );
    expect(found("Fax: 123\nWebsite: x.com\nStatus: ok", "PERSON")).toEqual([]);
  });
  it("uses location cues and the GeoNames gazetteer", () => {
    expect(found("Mr. Baader grew up in Remniku.", "LOCATION")).toContain("Remniku");
    expect(found("We moved here from Kenosha", "LOCATION")).toContain("Kenosha");
    expect(found("The office in Lappeenranta is closed", "LOCATION")).toContain("Lappeenranta");
    expect(found("Sven Hedlund\nSoto del Barco\nSpain", "LOCATION")).toContain("Soto del Barco");
    // Small towns that are also words or names need a cue; common words never match.
    expect(found("Summarize the Report for March", "LOCATION")).toEqual([]);
    expect(found("Open the Chinook database", "LOCATION")).toEqual([]);
  });
  it("finds the town line of an address block", () => {
    expect(found("28030 Edeby 55\n Apt. 297\n TYSTBERGA\n Sweden", "LOCATION")).toContain("TYSTBERGA");
    expect(found("Apt. 297\n the end", "LOCATION")).toEqual([]);
  });
  it("uses organisation cues", () => {
    expect(found("I work for Rapid Cycle Solutions", "ORGANIZATION")).toContain("Rapid Cycle Solutions");
    expect(found("Persint is an German multinational investment bank", "ORGANIZATION")).toContain("Persint");
    expect(found("She spent a year at Zillow", "ORGANIZATION")).toContain("Zillow");
    expect(found("Berlin is a big city", "ORGANIZATION")).toEqual([]);
    expect(found("I work for Anna Weber", "ORGANIZATION")).toEqual([]);
  });
});
