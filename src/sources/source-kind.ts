import { z } from "zod";
import type { JSONSchema7 } from "../tools/json-schema.js";
import type { ToolSource } from "../tools/tool-source.js";

/** Tool source and agent names (an agent name is the gateway's `model` id). */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
export const sourceName = z
  .string()
  .regex(NAME_PATTERN, "a name of letters, digits, _ or - starting with a letter")
  .describe(
    "The source's name (letters, digits, `_`, `-`), shown in traces and used by `agents.<name>.tools`.",
  );
export const positiveInt = z.number().int().positive();
/** A JSON Schema object (the planner sees it; ajv checks it when the tool is built). */
export const jsonSchemaObject = z
  .custom<JSONSchema7>(
    (v) => typeof v === "object" && v !== null && !Array.isArray(v),
    "expected a JSON Schema object",
  )
  .meta({ type: "object", description: "A JSON Schema (an object)." });
export const stringMap = z.record(z.string(), z.string());

/** What building a source from the config may need from the configuration around it. */
export interface SourceContext {
  /** Resolves a path written in the config against the config file's folder. */
  resolvePath(path: string): string;
}

/**
 * One kind of tool source in `flm.config`'s `tools[]`: its strict schema (discriminated by
 * `kind`), how to build it (the implementation is imported only then: drivers are heavy), and,
 * for sources that send tool arguments over the network, where to (the trust check).
 */
export interface SourceKind<C extends { kind: string; name: string }> {
  readonly kind: C["kind"];
  readonly schema: z.ZodType<C, unknown>;
  create(config: C, context: SourceContext): Promise<ToolSource>;
  /** http(s) URLs that receive tool arguments, and whether the entry declares them trusted. */
  remote?(config: C): { urls: string[]; trusted: boolean };
}
