import { describe, expect, it } from "vitest";
import { toFtsQuery } from "./fts-query.js";

describe("toFtsQuery", () => {
  it("quotes every term and ORs them, dropping stopwords", () => {
    expect(toFtsQuery("How many days of annual leave?")).toBe('"many" OR "days" OR "annual" OR "leave"');
  });
  it("neutralises FTS5 operators and syntax", () => {
    expect(toFtsQuery('NEAR(a b) AND "x* OR title:y ^z')).toBe(
      '"near" OR "b" OR "x" OR "title" OR "y" OR "z"',
    );
  });
  it("keeps stopwords when nothing else is left, handles unicode and possessives", () => {
    expect(toFtsQuery("to be or to be")).toBe('"to" OR "be" OR "or"');
    expect(toFtsQuery("Müller's Straße")).toBe('"müller" OR "straße"');
  });
  it("returns undefined when there are no words", () => {
    expect(toFtsQuery(" *** ")).toBeUndefined();
  });
});
