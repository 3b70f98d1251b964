import { FlmError } from "../../errors/flm-error.js";
import type { Tool } from "../../tools/tool.js";
import type { ToolSource } from "../../tools/tool-source.js";

/**
 * Wraps plain `defineTool` tools as a ToolSource so they can sit beside databases and MCP
 * servers in one configuration. Tool names must be unique within the source.
 */
export function createFunctionSource(name: string, tools: Tool[]): ToolSource {
  if (!name?.trim()) {
    throw new FlmError("SOURCE_CONFIG_INVALID", "A function source needs a name.", {
      hint: 'Pass a short name, e.g. createFunctionSource("helpers", [...]).',
    });
  }
  const seen = new Set<string>();
  for (const tool of tools) {
    if (seen.has(tool.name)) {
      throw new FlmError(
        "SOURCE_CONFIG_INVALID",
        `Function source "${name}" has two tools named "${tool.name}".`,
        {
          hint: "Give every tool a distinct name.",
        },
      );
    }
    seen.add(tool.name);
  }
  const source = `function:${name}`;
  // Explicit fields rather than a spread, so tools written as classes keep their methods.
  const listed: Tool[] = tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
    timeoutMs: tool.timeoutMs,
    source: tool.source ?? source,
    validate: (input) => tool.validate(input),
    // The contract asks every source to refuse work once the step is cancelled.
    run: async (input, context) => {
      context.signal.throwIfAborted();
      return tool.run(input, context);
    },
  }));
  let closed = false;
  return {
    name,
    async tools() {
      if (closed) throw new FlmError("SOURCE_CLOSED", `Function source "${name}" is closed.`);
      return listed;
    },
    async check() {
      return { ok: true, detail: `${listed.length} tool(s)` };
    },
    async close() {
      closed = true;
    },
  };
}
