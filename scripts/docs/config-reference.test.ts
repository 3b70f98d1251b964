import { z } from "zod";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.js";
import { configJsonSchema, configReferenceMarkdown, typeOf } from "./config-reference.js";

describe("configReferenceMarkdown", () => {
  const model = z.strictObject({
    provider: z.enum(["a", "b"]).describe("who serves it"),
    url: z.string().url(),
  });
  const schema = z.strictObject({
    port: z.number().int().min(0).max(65535).default(8787).describe("where to listen"),
    planner: z.union([z.string(), model]),
    generator: model,
    tools: z.array(
      z.discriminatedUnion("kind", [
        z.strictObject({ kind: z.literal("sql"), path: z.string().describe("database file") }),
        z.strictObject({ kind: z.literal("mcp"), command: z.string(), args: z.array(z.string()).optional() }),
      ]),
    ),
  });

  it("has a row per key with type, required, default and the schema's description", () => {
    const md = configReferenceMarkdown(schema);
    expect(md).toContain("| `port` | integer 0–65535 |  | `8787` | where to listen |");
    expect(md).toContain('| `planner.provider` | `"a"` \\| `"b"` | yes |  | who serves it |');
    expect(md).toContain("| `planner.url` | string (uri) | yes |  |  |");
  });

  it("documents a shape once and points back to it", () => {
    expect(configReferenceMarkdown(schema)).toContain("## `generator`\n\nThe same keys as `planner`.");
  });

  it("gives each variant of a union by kind its own table", () => {
    const md = configReferenceMarkdown(schema);
    expect(md).toContain("### `tools[]` with `kind: sql`");
    expect(md).toContain("| `tools[].path` | string | yes |  | database file |");
    expect(md).toContain("### `tools[]` with `kind: mcp`");
    expect(md).toContain("| `tools[].args` | string[] |  |  |  |");
  });

  it("covers every top-level key of the real configuration", () => {
    const md = configReferenceMarkdown();
    for (const key of Object.keys(configSchema.shape)) expect(md).toContain(`| \`${key}\` |`);
  });
});

describe("configJsonSchema", () => {
  it("is draft 7 and accepts the $schema key editors use", () => {
    const json = configJsonSchema();
    expect(json.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(json.properties?.$schema).toMatchObject({ type: "string" });
    expect(json.required).toEqual(["generator"]);
  });
});

describe("typeOf", () => {
  it("reads constraints the way a person writes them", () => {
    expect(typeOf({ type: "integer", exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER })).toBe(
      "integer > 0",
    );
    expect(typeOf({ type: "array", items: { anyOf: [{ type: "string" }, { type: "number" }] } })).toBe(
      "(string | number)[]",
    );
    expect(typeOf({ type: "object", additionalProperties: { type: "string" } })).toBe("map of string");
    expect(typeOf({ const: "local" })).toBe('`"local"`');
  });
});
