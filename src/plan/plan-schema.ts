import type { JSONSchema7 } from "../tools/json-schema.js";
import type { ToolSpec } from "../tools/tool.js";

/**
 * The JSON Schema of a plan over the given tools: each step is one of the tools with that
 * tool's own argument schema. Local planners decode under this schema (a llama.cpp grammar,
 * Ollama's `format`, OpenAI-compatible `response_format`), so their plans always parse and
 * name only real tools with well-typed arguments. References are left to cloud planners:
 * small models chain steps poorly, and a plain schema keeps the grammar small.
 */
export function planJsonSchema(tools: ToolSpec[], maxSteps: number): JSONSchema7 {
  const stepSchemas: JSONSchema7[] = tools.map((tool) => ({
    type: "object",
    properties: {
      // A closed set: a free string lets a weak model ramble until the token limit.
      id: { enum: Array.from({ length: maxSteps }, (_, i) => `s${i + 1}`) },
      tool: { const: tool.name },
      args: stripForGrammar(tool.inputSchema),
    },
    required: ["id", "tool", "args"],
    additionalProperties: false,
  }));
  return {
    type: "object",
    properties: {
      steps: {
        type: "array",
        maxItems: maxSteps,
        items:
          stepSchemas.length === 1
            ? stepSchemas[0]
            : stepSchemas.length
              ? { anyOf: stepSchemas }
              : { type: "object" },
      },
    },
    required: ["steps"],
    additionalProperties: false,
  };
}

const MAX_ARG_CHARS = 200;

// Keywords that grammar builders reject or that only describe; validation still applies them later.
const DROP = new Set(["$schema", "$id", "title", "examples", "default", "format", "pattern", "description"]);

function stripForGrammar(schema: JSONSchema7): JSONSchema7 {
  return strip(schema) as JSONSchema7;
}

/** Drops the keywords in DROP at every depth, closes objects and bounds strings. */
function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP.has(key)) continue;
    if (key === "properties" && typeof value === "object" && value !== null) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v)]));
    } else out[key] = strip(value);
  }
  if (out.type === "object" && out.additionalProperties === undefined) out.additionalProperties = false;
  // Bounded strings keep a weak model from rambling past the token limit; arguments are short.
  if (out.type === "string" && out.maxLength === undefined && out.enum === undefined)
    out.maxLength = MAX_ARG_CHARS;
  return out;
}
