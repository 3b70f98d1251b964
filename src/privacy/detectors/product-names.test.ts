import { describe, expect, it } from "vitest";
import { createProductNameDetector } from "./product-names.js";
import { PUBLIC_WORDS } from "./public-vocabulary.js";

const terms = (text: string) =>
  createProductNameDetector(PUBLIC_WORDS)
    .detect(text)
    .map((s) => s.value);

describe("product-name detector", () => {
  it("finds CamelCase names and words in a name's position", () => {
    expect(terms("the QuillDesk export and our brackenfold migration")).toEqual(["QuillDesk", "brackenfold"]);
    expect(terms("ship lanternfish v2, then `moraine` cli, an app called zorvex")).toEqual(
      expect.arrayContaining(["lanternfish", "moraine", "zorvex"]),
    );
  });
  it("leaves public product names and ordinary words alone", () => {
    expect(terms("my JavaScript app on GitHub and the database migration, the sales team")).toEqual([]);
  });
});
