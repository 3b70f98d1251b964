import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { cliReferenceMarkdown, flmProgram } from "./cli-reference.js";

describe("cliReferenceMarkdown", () => {
  it("documents every command, argument, option and default of a program, subcommands included", () => {
    const program = new Command("tool").description("Does things.").option("-v, --verbose", "talk more");
    program
      .command("run")
      .description("run a job")
      .argument("<job>", "the job's name")
      .option("-n, --times <n>", "how often", "2");
    const store = program.command("store").description("storage");
    store.command("wipe").description("delete | everything").option("--no-confirm", "skip the question");

    const md = cliReferenceMarkdown(program);
    expect(md).toContain("| `-v, --verbose` | Talk more |  |");
    expect(md).toContain("### `tool run`\n\nRun a job.\n\n```\ntool run [options] <job>\n```");
    expect(md).toContain("| `job` | the job's name |");
    expect(md).toContain("| `-n, --times <n>` | How often | `2` |");
    expect(md).toContain("Subcommands: `tool store wipe`.");
    expect(md).toContain("### `tool store wipe`\n\nDelete | everything.");
    // A negated flag's implicit default (true) is not a default anyone types.
    expect(md).toContain("| `--no-confirm` | Skip the question |  |");
  });

  it("covers every command of flm", () => {
    const md = cliReferenceMarkdown(flmProgram());
    for (const command of [
      "ask",
      "chat",
      "plan",
      "tools",
      "tools check",
      "serve",
      "audit verify",
      "audit show",
    ]) {
      expect(md).toContain(`### \`flm ${command}\``);
    }
    for (const command of ["pull", "docs ingest", "docs search", "demo"])
      expect(md).toContain(`\`flm ${command}\``);
  });
});
