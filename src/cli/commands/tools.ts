import { resolveAgentConfigs } from "../../config/agent-configs.js";
import type { CliIO } from "../cli-io.js";
import { summaryLine, toolSignature } from "../tool-signature.js";
import { type GlobalOptions, openRuntime } from "../open-runtime.js";

/** `flm tools`: every tool the planner may call, as compact signatures (JSON Schemas with --json). */
export async function toolsCommand(
  options: { json?: boolean },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const { config, runtime } = await openRuntime(globals, io);
  try {
    const tools = await runtime.agent.tools();
    // Which sources each agent sees, from the config alone (the other agents are not built).
    const agents = resolveAgentConfigs(config);
    if (options.json) {
      io.print(
        JSON.stringify(
          tools.map((t) => ({
            name: t.name,
            source: t.source,
            description: t.description,
            inputSchema: t.inputSchema,
          })),
          null,
          2,
        ),
      );
      return;
    }
    if (tools.length === 0) io.info("No tools configured (add a `tools` section to the config).");
    // Compact: one signature and one line of description per tool (the full schemas: --json).
    for (const t of tools) {
      io.print(`${toolSignature(t.name, t.inputSchema)}${t.source ? `  [${t.source}]` : ""}`);
      const summary = summaryLine(t.description ?? "");
      if (summary) io.print(`  ${summary}`);
    }
    if (tools.length > 0) io.info("(full input schemas: flm tools --json)");
    if (agents.length > 1) {
      io.print(`\nAgents (this list: ${runtime.name}; pick one with --agent <name>):`);
      for (const a of agents) {
        const desc = a.description ? ` — ${a.description}` : "";
        io.print(`  ${a.name}: ${a.tools.join(", ") || "no tools"}${desc}`);
      }
    }
  } finally {
    await runtime.close();
  }
}

/** `flm tools check`: connects to every source and reports what works. Exit 1 if any fails. */
export async function toolsCheckCommand(globals: GlobalOptions, io: CliIO): Promise<number> {
  const { runtime } = await openRuntime(globals, io);
  let failed = 0;
  try {
    for (const source of runtime.sources) {
      let result: { ok: boolean; detail: string };
      try {
        result = source.check
          ? await source.check()
          : { ok: true, detail: `${(await source.tools()).length} tools` };
      } catch (error) {
        result = { ok: false, detail: (error as Error).message };
      }
      if (!result.ok) failed++;
      io.print(`${result.ok ? "ok  " : "FAIL"}  ${source.name}: ${result.detail}`);
    }
    if (runtime.sources.length === 0) io.info("No tool sources configured.");
  } finally {
    await runtime.close();
  }
  return failed ? 1 : 0;
}
