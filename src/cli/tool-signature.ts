type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
};

/** A short type for one JSON Schema: `string`, `integer[]`, `"a" | "b"`, `object`. */
export function typeLabel(schema: Schema | undefined): string {
  if (!schema || typeof schema !== "object") return "any";
  if (schema.enum) {
    const values = schema.enum.map((v) => JSON.stringify(v));
    return values.length > 4 ? `${values.slice(0, 4).join(" | ")} | …` : values.join(" | ");
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return [...new Set(union.map(typeLabel))].join(" | ");
  if (Array.isArray(schema.type)) return schema.type.filter((t) => t !== "null").join(" | ") || "null";
  if (schema.type === "array") return `${typeLabel(schema.items)}[]`;
  return schema.type ?? (schema.$ref ? (schema.$ref.split("/").at(-1) ?? "any") : "any");
}

/** `find_customer(name: string, limit?: integer)`: the tool's name and its parameters at a glance. */
export function toolSignature(name: string, inputSchema: unknown): string {
  const schema = (inputSchema ?? {}) as Schema;
  const required = new Set(schema.required ?? []);
  const params = Object.entries(schema.properties ?? {}).map(
    ([param, s]) => `${param}${required.has(param) ? "" : "?"}: ${typeLabel(s)}`,
  );
  return `${name}(${params.join(", ")})`;
}

/** The first sentence or line of a description, at most `max` characters. */
export function summaryLine(description: string, max = 100): string {
  const line = description.trim().split("\n", 1)[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
