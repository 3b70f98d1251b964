import { describe, expect, it } from "vitest";
import { ERROR_CODES, EXIT } from "../../src/errors/codes.js";
import { errorGroups, errorsReferenceMarkdown } from "./errors-reference.js";

describe("errorsReferenceMarkdown", () => {
  const codes = {
    A_FAILED: { http: 502, exit: EXIT.runtime, description: "A failed." },
    B_LOCKED: { http: 503, exit: EXIT.runtime, description: "B is locked | busy.", retryAfterSeconds: 1 },
    C_BAD: { http: 500, exit: EXIT.config, description: "C is misconfigured." },
    D_LOST: { http: 500, exit: EXIT.runtime, description: "Not in the source text." },
  };
  const source = [
    "export const ERROR_CODES = {",
    "  // First group",
    '  A_FAILED: runtime("A failed.", 502),',
    "  B_LOCKED: {",
    "    ...runtime(",
    "  // Second group",
    '  C_BAD: config("C is misconfigured."),',
    "};",
  ].join("\n");

  it("groups codes under the registry's comment headings, unplaced codes last", () => {
    expect(errorGroups(codes, source)).toEqual([
      { title: "First group", codes: ["A_FAILED", "B_LOCKED"] },
      { title: "Second group", codes: ["C_BAD"] },
      { title: "Other", codes: ["D_LOST"] },
    ]);
  });

  it("gives each code its HTTP status, retry-after, exit code and meaning", () => {
    const md = errorsReferenceMarkdown(codes, source);
    expect(md).toContain("## First group");
    expect(md).toContain("| `A_FAILED` | 502 | 1 (runtime) | A failed. |");
    expect(md).toContain("| `B_LOCKED` | 503 (retry-after 1 s) | 1 (runtime) | B is locked \\| busy. |");
    expect(md).toContain("| `C_BAD` | 500 | 3 (config) | C is misconfigured. |");
  });

  it("lists every registered code exactly once", () => {
    const md = errorsReferenceMarkdown();
    for (const name of Object.keys(ERROR_CODES)) {
      expect(md.split(`| \`${name}\` |`).length - 1, name).toBe(1);
    }
  });
});
