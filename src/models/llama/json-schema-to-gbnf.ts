/**
 * JSON Schema (as the AI SDK emits it, e.g. from zod) → the subset node-llama-cpp turns into a
 * grammar. anyOf becomes oneOf, type lists become oneOf, `nullable` is honoured, annotation
 * keywords are dropped. Unknown constructs become "any JSON value" rather than failing.
 */
import type { JSONSchema7, JSONSchema7Definition } from "@ai-sdk/provider";
import type { GbnfJsonSchema } from "node-llama-cpp";

type Out = Record<string, unknown>;

export function toGbnfJsonSchema(schema: JSONSchema7Definition | undefined): GbnfJsonSchema {
  return convert(schema, true) as GbnfJsonSchema;
}

const ANY: Out = {};

function convert(schema: JSONSchema7Definition | undefined, root = false): Out {
  if (schema === undefined || schema === true) return ANY;
  if (schema === false) return { type: "null" };
  const s = schema as JSONSchema7 & { nullable?: boolean; prefixItems?: JSONSchema7Definition[] };
  const out: Out = {};
  if (root && s.$defs) out.$defs = mapValues(s.$defs as Record<string, JSONSchema7Definition>);
  else if (root && s.definitions) out.$defs = mapValues(s.definitions);
  if (typeof s.$ref === "string") return { $ref: s.$ref.replace("#/definitions/", "#/$defs/") };
  if (s.const !== undefined) return withNull({ const: s.const }, s.nullable);
  if (Array.isArray(s.enum)) return withNull({ enum: s.enum }, s.nullable);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return { ...out, oneOf: alternatives.map((a: JSONSchema7Definition) => convert(a)) };
  if (s.allOf && s.allOf.length === 1) return { ...out, ...convert(s.allOf[0]) };

  if (Array.isArray(s.type)) {
    const types = s.type;
    return { ...out, oneOf: types.map((t: JSONSchema7["type"] & string) => convert({ ...s, type: t })) };
  }
  switch (s.type) {
    case "object": {
      const properties: Record<string, Out> = {};
      for (const [key, value] of Object.entries(s.properties ?? {})) properties[key] = convert(value);
      out.type = "object";
      out.properties = properties;
      if (Object.keys(properties).length === 0) {
        out.additionalProperties =
          s.additionalProperties === undefined || s.additionalProperties === true
            ? true
            : convert(s.additionalProperties);
      }
      if (Array.isArray(s.required)) out.required = s.required.filter((key: string) => key in properties);
      break;
    }
    case "array":
      out.type = "array";
      if (s.prefixItems) out.prefixItems = s.prefixItems.map((i: JSONSchema7Definition) => convert(i));
      if (s.items !== undefined && !Array.isArray(s.items)) out.items = convert(s.items);
      if (typeof s.minItems === "number") out.minItems = s.minItems;
      if (typeof s.maxItems === "number") out.maxItems = s.maxItems;
      break;
    case "string":
      out.type = "string";
      if (typeof s.minLength === "number") out.minLength = s.minLength;
      if (typeof s.maxLength === "number") out.maxLength = s.maxLength;
      if (s.format && ["date", "time", "date-time"].includes(s.format)) out.format = s.format;
      break;
    case "integer":
    case "number":
    case "boolean":
    case "null":
      out.type = s.type;
      break;
    default:
      if (s.properties) return convert({ ...s, type: "object" }, root);
      return out.$defs ? out : ANY;
  }
  return withNull(out, s.nullable);
}

function withNull(schema: Out, nullable: boolean | undefined): Out {
  return nullable ? { oneOf: [schema, { type: "null" }] } : schema;
}

function mapValues(defs: Record<string, JSONSchema7Definition>): Record<string, Out> {
  return Object.fromEntries(Object.entries(defs).map(([key, value]) => [key, convert(value)]));
}
