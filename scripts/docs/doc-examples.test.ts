import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { docExamples, typecheckDocExamples } from "./doc-examples.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// The examples import `federated-lm` as users do: through package.json exports, into dist/.
const built = existsSync(join(root, "dist", "index.d.ts"));

describe("the TypeScript examples in README.md and docs/", () => {
  it("are found, with the line of their fence", () => {
    const examples = docExamples(root);
    expect(examples.length).toBeGreaterThan(10);
    expect(examples.some((e) => e.file === "README.md")).toBe(true);
  });

  it.skipIf(!built)("type-check against the package (run npm run build first)", () => {
    expect(typecheckDocExamples(root)).toEqual([]);
  });

  it.skipIf(!built)(
    "are reported when they use a missing export or a wrong option, not for free names",
    () => {
      const problems = typecheckDocExamples(root, [
        { file: "a.md", line: 10, code: 'import { createAgentt } from "federated-lm";' },
        {
          file: "b.md",
          line: 20,
          code: 'import { defineTool } from "federated-lm";\ndefineTool({ name: "x", description: "y", input: {}, run: async () => db.all(), timeout: 5 });',
        },
      ]);
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/^a\.md:11: TS2\d+ .*createAgentt/);
      expect(problems[1]).toMatch(/^b\.md:22: TS2\d+ .*timeout/);
    },
  );
});
