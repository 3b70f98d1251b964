import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { docsFiles } from "./markdown-links.js";

export interface DocExample {
  /** The Markdown file, relative to the root. */
  file: string;
  /** Line of the opening fence. */
  line: number;
  code: string;
}

/** Every ```ts block of README.md and docs/ (the examples a reader copies). */
export function docExamples(root: string, files: string[] = docsFiles(root)): DocExample[] {
  const examples: DocExample[] = [];
  for (const file of files) {
    const lines = readFileSync(join(root, file), "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
      const end = lines.findIndex((l, j) => j > i && l.startsWith("```"));
      if (end === -1) break;
      examples.push({ file, line: i + 1, code: lines.slice(i + 1, end).join("\n") });
      i = end;
    }
  }
  return examples;
}

/**
 * Names an example uses without defining them (`db`, `planner`, `signal`): an example is a fragment,
 * so these are not its faults. Everything else (an export that does not exist, a misspelt option,
 * a wrong argument type) is.
 */
const FRAGMENT_ERRORS = new Set(["TS2304", "TS2552", "TS18004"]);

/**
 * Type-checks every example against the package as users import it (`federated-lm` and its subpaths
 * resolve through package.json `exports` to dist/, so run the build first). Returns one line per
 * problem, `file:line: message`, with the line inside the Markdown file.
 */
export function typecheckDocExamples(root: string, examples: DocExample[] = docExamples(root)): string[] {
  const dir = join(root, ".docs-examples");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  try {
    for (const [i, example] of examples.entries()) {
      writeFileSync(join(dir, `example-${i}.ts`), `${example.code}\nexport {};\n`);
    }
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: "../tsconfig.json",
        include: ["*.ts"],
        compilerOptions: { noEmit: true, rootDir: "..", noUnusedLocals: false },
      }),
    );
    let output = "";
    try {
      execFileSync(join(root, "node_modules", ".bin", "tsc"), ["-p", dir], {
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    const problems: string[] = [];
    for (const m of output.matchAll(/example-(\d+)\.ts\((\d+),\d+\): error (TS\d+): (.*)/g)) {
      if (FRAGMENT_ERRORS.has(m[3]!)) continue;
      const example = examples[Number(m[1])]!;
      problems.push(`${example.file}:${example.line + Number(m[2])}: ${m[3]} ${m[4]}`);
    }
    if (problems.length === 0 && output && !/error TS/.test(output)) problems.push(`tsc failed: ${output}`);
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
