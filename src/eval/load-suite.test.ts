import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EvalSuiteError } from "./eval-suite-error.js";
import { loadSuite } from "./load-suite.js";

const dir = mkdtempSync(join(tmpdir(), "flm-eval-suite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = `generator: ollama:qwen2.5:3b\ntools: []\n`;

describe("loadSuite", () => {
  it("reads a YAML suite and the configuration it names", async () => {
    writeFileSync(join(dir, "flm.config.yaml"), CONFIG);
    writeFileSync(
      join(dir, "sales.eval.yaml"),
      `name: sales
config: ./flm.config.yaml
questions:
  - id: q1
    question: Who is Leonie Köhler's support rep?
    calls:
      - { id: a, tool: find_customer, args: { name: Leonie Köhler } }
      - { tool: get_employee, args: { employee_id: { $ref: a, path: "rows[0].SupportRepId" } } }
    facts: [Jane Peacock, { value: 1234.5, tolerance: 0.5, label: total }]
    mustNotContain: [Steve Johnson]
  - id: q2
    question: What is Zebulon's phone number?
    idk: true
    limits: { timeoutMs: 30000 }
`,
    );
    const loaded = await loadSuite("sales.eval.yaml", { cwd: dir });
    expect(loaded.suite.questions.map((q) => q.id)).toEqual(["q1", "q2"]);
    expect(loaded.suite.questions[0]!.facts).toEqual([
      "Jane Peacock",
      { value: 1234.5, tolerance: 0.5, label: "total" },
    ]);
    expect(loaded.config.generator).toBe("ollama:qwen2.5:3b");
  });

  it("names each invalid key path: duplicate ids, a $ref to no call, a typo", async () => {
    writeFileSync(
      join(dir, "bad.eval.yaml"),
      `name: bad
questions:
  - { id: q1, question: a, calls: [{ tool: t, args: { x: { $ref: nope } } }] }
  - { id: q1, question: b, fatcs: [1] }
`,
    );
    const error = await loadSuite("bad.eval.yaml", { cwd: dir }).catch((e) => e);
    expect(EvalSuiteError.isInstance(error)).toBe(true);
    expect(error.code).toBe("EVAL_SUITE_INVALID");
    expect(error.message).toContain('questions[0].calls[0].args: $ref "nope" names no call');
    expect(error.message).toContain('questions[1].id: duplicate question id "q1"');
    expect(error.message).toMatch(/questions\[1\].*fatcs/);
  });

  it("says what to do for an unknown suite and a missing Chinook file", async () => {
    const unknown = await loadSuite("nosuch", { cwd: dir }).catch((e) => e);
    expect(unknown.code).toBe("EVAL_SUITE_NOT_FOUND");
    expect(unknown.message).toContain("chinook, clinic");
    const chinook = await loadSuite("chinook", { cwd: dir, env: {}, database: "missing.sqlite" }).catch(
      (e) => e,
    );
    expect(chinook.code).toBe("EVAL_DATA_NOT_FOUND");
    expect(chinook.message).toContain("--db");
  });
});
