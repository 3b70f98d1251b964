import { z } from "zod";
import { FlmError } from "../errors/flm-error.js";
import { type JSONSchema7, jsonSchemaValidator, type SchemaIssue } from "./json-schema.js";
import type { Tool, ToolRunContext } from "./tool.js";

// Tool names go to every provider's function-calling API; this is the strictest common rule.
const TOOL_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;

export interface DefineToolOptions<Input, Output> {
  name: string;
  description: string;
  /** A zod schema (preferred in TypeScript) or a JSON Schema object. */
  input: z.ZodType<Input> | JSONSchema7;
  run: (input: Input, context: ToolRunContext) => Promise<Output> | Output;
  timeoutMs?: number;
  source?: string;
  /** The tool changes something: it never starts before the whole plan is validated. Default false. */
  sideEffects?: boolean;
}

export function defineTool<Input = any, Output = unknown>(
  options: DefineToolOptions<Input, Output>,
): Tool<Input, Output> {
  if (!TOOL_NAME.test(options.name)) {
    throw new FlmError("TOOL_DEFINITION_INVALID", `Tool name "${options.name}" is not allowed.`, {
      hint: "Use letters, digits, '_' or '-', starting with a letter, at most 64 characters.",
    });
  }
  if (!options.description?.trim()) {
    throw new FlmError("TOOL_DEFINITION_INVALID", `Tool "${options.name}" has no description.`, {
      hint: "The planner chooses tools by their description; say what the tool returns.",
    });
  }
  const { inputSchema, validate } = compileInput<Input>(options.input);
  return {
    name: options.name,
    description: options.description,
    inputSchema,
    validate,
    run: async (input, context) => options.run(input, context),
    timeoutMs: options.timeoutMs,
    source: options.source,
    sideEffects: options.sideEffects ?? false,
  };
}

function isZod<T>(input: unknown): input is z.ZodType<T> {
  return typeof input === "object" && input !== null && "_zod" in input;
}

function compileInput<Input>(
  input: z.ZodType<Input> | JSONSchema7,
): Pick<Tool<Input>, "inputSchema" | "validate"> {
  if (isZod<Input>(input)) {
    const inputSchema = z.toJSONSchema(input, { target: "draft-7", io: "input" }) as JSONSchema7;
    delete (inputSchema as Record<string, unknown>).$schema;
    return {
      inputSchema,
      validate: (value) => {
        const parsed = input.safeParse(value);
        if (parsed.success) return { value: parsed.data as Input, issues: [] };
        const issues: SchemaIssue[] = parsed.error.issues.map((issue) => ({
          path: `/${issue.path.map(String).join("/")}`,
          message: issue.message,
        }));
        return { value: value as Input, issues };
      },
    };
  }
  const schema: JSONSchema7 = { type: "object", ...input };
  const check = jsonSchemaValidator(schema);
  return {
    inputSchema: schema,
    validate: (value) => {
      // Ajv applies defaults in place: validate a copy so the plan stays as the planner wrote it.
      const copy = structuredClone(value);
      return { value: copy as Input, issues: check(copy) };
    },
  };
}
