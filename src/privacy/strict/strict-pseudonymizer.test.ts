import { describe, expect, it } from "vitest";
import { PlaceholderVault } from "../placeholder-vault.js";
import { createStrictPseudonymizer } from "./strict-pseudonymizer.js";

describe("createStrictPseudonymizer", () => {
  const strict = createStrictPseudonymizer();
  const run = (text: string, publicTerms?: Set<string>) => {
    const vault = new PlaceholderVault();
    return { ...strict.pseudonymize(text, vault, { publicTerms }), vault };
  };

  it("sends common words and quantities as they are, and replaces every other word run", () => {
    const { text } = run("can you summarize the zorvex rollout notes for the next 3 weeks?");
    expect(text).toBe("can you summarize the <TERM_1> rollout notes for the next 3 weeks?");
  });
  it("types runs: IDs with digits, handles, and keeps the typed detections", () => {
    const { text } = run("ask @qwyn_dev about build QX81-7 and email ana.lopes@example.com");
    expect(text).toContain("<HANDLE_1>");
    expect(text).toContain("<ID_1>");
    expect(text).toContain("<EMAIL_1>");
  });
  it("takes a capitalized common word in mid-sentence for a name, but not at a sentence start", () => {
    const { text } = run("Please tell Rose that Summit Bakery opens at 9.");
    expect(text).toMatch(/^Please tell <[A-Z]+_1> that <[A-Z]+_\d>/);
    expect(text).toContain("opens at 9.");
  });
  it("takes a capitalized word glued to text of another script for a name, even first", () => {
    const { text } = run("Harborlightのビルドが失敗します");
    expect(text.startsWith("<TERM_1>の")).toBe(true);
  });
  it("keeps words of the bound tool specs and allowed terms", () => {
    const strictWithTerms = createStrictPseudonymizer({ allowTerms: ["Quillbase"] });
    const vault = new PlaceholderVault();
    const out = strictWithTerms.pseudonymize("list quillbase invoices via zentrop", vault, {
      publicTerms: new Set(["zentrop"]),
    });
    expect(out.text).toBe("list quillbase invoices via zentrop");
  });
  it("handles scripts without spaces as runs of words, not dropped or kept whole", () => {
    const { text } = run("请把这句话翻译成英文：你好，周婷");
    expect(text).not.toContain("周婷");
    expect(text).toContain("翻译");
  });
  it("restores every placeholder locally, and rejects invented ones", () => {
    const { text, vault } = run("deploy kraxnor to prod-eu-7731 for blorvik");
    expect(vault.restore(text)).toBe("deploy kraxnor to prod-eu-7731 for blorvik");
    expect(vault.unknownPlaceholders("<TERM_9> and <ID_4>")).toEqual(["<TERM_9>", "<ID_4>"]);
  });
});
