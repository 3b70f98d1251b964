import { FlmError } from "../errors/flm-error.js";
import type { Tool } from "./tool.js";
import { isToolSource, type ToolSource } from "./tool-source.js";

export interface ToolCatalog {
  /** Every tool by name; sources are opened on first use. A failed load is retried next time. */
  load(): Promise<Map<string, Tool>>;
  /** Closes every source. */
  close(): Promise<void>;
}

/** The tools an agent can call: plain tools and the tools of sources, names unique. */
export function createToolCatalog(entries: Array<Tool | ToolSource>): ToolCatalog {
  const sources = entries.filter(isToolSource);
  const plain = entries.filter((t): t is Tool => !isToolSource(t));
  let loaded: Promise<Map<string, Tool>> | undefined;
  return {
    load() {
      loaded ??= (async () => {
        const map = new Map<string, Tool>();
        const all = [...plain];
        for (const source of sources) all.push(...(await source.tools()));
        for (const tool of all) {
          if (map.has(tool.name)) {
            throw new FlmError("TOOL_NAME_CONFLICT", `Two tools are named "${tool.name}".`, {
              hint: "Give one source a prefix or rename the declared query.",
            });
          }
          map.set(tool.name, tool);
        }
        return map;
      })();
      loaded.catch(() => {
        loaded = undefined; // let a later run retry a source that was down
      });
      return loaded;
    },
    async close() {
      await Promise.allSettled(sources.map((s) => s.close()));
    },
  };
}
