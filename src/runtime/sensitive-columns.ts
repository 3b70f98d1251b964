import { ConfigError } from "../config/config-error.js";
import type { ToolSourceConfig } from "../config/config-schema.js";
import type { FlmConfig } from "../config/load-config.js";

/**
 * The tool source entries with `privacy.sensitiveColumns` (`source.table.column`) joined into
 * the named SQL source's own `sensitive` list. The config itself is not changed.
 */
export function withSensitiveColumns(config: FlmConfig): ToolSourceConfig[] {
  const tools = config.tools.map((t) => ({ ...t }));
  for (const [i, entry] of (config.privacy?.sensitiveColumns ?? []).entries()) {
    const [sourceName, ...column] = entry.split(".");
    const tool = tools.find((t) => t.name === sourceName);
    if (tool?.kind !== "sql" || column.length !== 2) {
      throw new ConfigError(
        "CONFIG_INVALID",
        `privacy.sensitiveColumns[${i}]: expected "<sql source>.<table>.<column>", found "${entry}"`,
        {
          issues: [
            {
              path: `privacy.sensitiveColumns[${i}]`,
              message: "no SQL source by that name, or not source.table.column",
            },
          ],
        },
      );
    }
    tool.sensitive = [...(tool.sensitive ?? []), column.join(".")];
  }
  return tools;
}
