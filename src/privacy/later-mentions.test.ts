import { describe, expect, it } from "vitest";
import { defaultDetectors } from "./detectors/index.js";
import { laterMentions } from "./later-mentions.js";
import { PlaceholderVault } from "./placeholder-vault.js";
import { createPseudonymizer } from "./pseudonymizer.js";

describe("laterMentions", () => {
  it("finds every other mention, whole words, case- and accent-insensitively", () => {
    const text = "Ask Jose Garcia. Then josé GARCIA again, not Garcias.";
    const spans = laterMentions(text, [{ type: "PERSON", value: "José García" }]);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["Jose Garcia", "josé GARCIA"]);
  });
  it("matches values of scripts without spaces inside text, and skips numbers and dates", () => {
    const text = "给王小明写信，王小明在吗？2019";
    expect(laterMentions(text, [{ type: "PERSON", value: "王小明" }])).toHaveLength(2);
    expect(laterMentions(text, [{ type: "DATE_TIME", value: "2019" }])).toEqual([]);
  });
});

describe("pseudonymizer consistency", () => {
  const p = createPseudonymizer({ detectors: defaultDetectors() });
  it("replaces a later lower-case mention of a value found once in the prompt", () => {
    const { text } = p.pseudonymize(
      "Email Dr. Anselm Quarry today; anselm quarry said yes",
      new PlaceholderVault(),
    );
    expect(text.toLowerCase()).not.toContain("quarry");
  });
  it("replaces mentions in later turns of the same conversation", () => {
    const vault = new PlaceholderVault();
    const first = p.pseudonymize("my username is zorblat_77", vault).text;
    const second = p.pseudonymize("did zorblat_77 get the invite?", vault).text;
    expect(first).toBe("my username is <HANDLE_1>");
    expect(second).toBe("did <HANDLE_1> get the invite?");
  });
});
