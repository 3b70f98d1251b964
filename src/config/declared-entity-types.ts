import type { FlmConfigData } from "./config-schema.js";

/**
 * The entity types a configuration's sources declare for sensitive columns and fields (a SQL
 * `sensitive` entry's `type`, or its column name; a MongoDB field's), which a privacy policy may
 * name besides flm's own types.
 */
export function declaredEntityTypes(config: Pick<FlmConfigData, "tools" | "privacy">): string[] {
  const types: string[] = [];
  const last = (ref: string) => ref.slice(ref.lastIndexOf(".") + 1).toUpperCase();
  for (const tool of config.tools ?? []) {
    if (tool.kind === "sql")
      for (const s of tool.sensitive ?? [])
        types.push(typeof s === "string" ? last(s) : s.type || last(s.column));
    if (tool.kind === "mongo")
      for (const c of tool.collections)
        for (const s of c.sensitive ?? []) types.push(typeof s === "string" ? s.toUpperCase() : s.type);
  }
  for (const ref of config.privacy?.sensitiveColumns ?? []) types.push(last(ref));
  return types;
}
