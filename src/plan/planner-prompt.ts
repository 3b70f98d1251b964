import type { ModelMessage } from "ai";
import type { JSONSchema7, JSONSchema7Definition } from "@ai-sdk/provider";
import type { PlanRequest } from "./planner.js";
import type { ToolSpec } from "../tools/tool.js";

/** How a cloud planner answers: a JSON plan, compact plan lines, or native tool calls. */
export type PlannerMode = "json" | "compact" | "tool-calls";

export interface PlannerPromptOptions {
  /**
   * How tools are described in the prompt. `signatures` (`name(arg: type, opt?: type)` with the
   * argument descriptions) is a fraction of the tokens of full JSON Schemas; arguments are still
   * checked locally against the full schema and a repair round fixes mistakes. Tool-call mode
   * always sends the schemas in the API's `tools` field and lists no tools in the prompt.
   */
  toolDetail?: "signatures" | "schemas";
  /** Local planner decoding under the plan's JSON Schema (a grammar enforces every argument). */
  local?: boolean;
}

const ROLE =
  "You plan tool calls for a federated assistant: choose the calls that gather what is needed to answer the user's question. You never see any data: a separate local model reads the results and writes the answer.";

const PLACEHOLDERS =
  "Values like <PERSON_1> or <EMAIL_2> are placeholders for private values: use them exactly as written; never invent new ones.";
const PARALLEL = "Steps that do not use each other run in parallel; add only the steps that are needed.";

const FORMAT: Record<PlannerMode, (maxSteps: number) => string> = {
  json: (max) =>
    `Reply with only a JSON object: {"steps": [{"id": "s1", "tool": "<tool>", "args": {...}}]}, ids s1, s2, ..., at most ${max} steps.
Arguments must fit the tool's parameters. To use an earlier step's output, write the argument as {"$ref": "s1", "path": "rows[0].customer_id"} ("rows[*].id" takes the field from every row); it is filled in locally.
${PARALLEL}
${PLACEHOLDERS}
If no lookup is needed, return no steps.`,
  compact: (max) =>
    `Reply with only the plan, one step per line:
s1 = tool_name(arg="text", n=42)
s2 = other_tool(customer_id=s1.rows[0].customer_id)
Values are JSON. To use an earlier step's output, write its id and a path, unquoted, as in s2 ("s1.rows[*].id" takes the field from every row); it is filled in locally. Ids s1, s2, ..., at most ${max} steps; arguments must fit the tool's parameters.
${PARALLEL}
${PLACEHOLDERS}
If no lookup is needed, reply NONE.`,
  "tool-calls": (max) =>
    `Call the tools needed, all at once (they run in parallel), at most ${max} calls. If none is needed, reply "no lookup needed".
${PLACEHOLDERS}`,
};

const LOCAL_RULES = `- Use only the tools listed below, with their arguments.
- Values written like <PERSON_1> are placeholders for private values: use them exactly as written.
- Add only the steps that are needed; if no lookup is needed, return no steps.`;

/**
 * The planner's system prompt. What never changes for a configuration (role, format, rules,
 * tools in a stable order) comes first and the date last, so providers' prompt caching
 * (OpenAI automatic caching, Anthropic `cache_control`, Gemini implicit caching) can reuse
 * the whole prefix from one question to the next.
 */
export function plannerSystemPrompt(
  request: PlanRequest,
  mode: PlannerMode,
  options: PlannerPromptOptions = {},
): string {
  const today = `Today is ${request.date}.`;
  if (options.local) {
    return `You plan tool calls that gather what is needed to answer the user's question.
Reply with JSON: {"steps": [{"id": "s1", "tool": "<tool>", "args": {...}}]}, at most ${request.maxSteps} steps.
${LOCAL_RULES}

Tools:
${toolList(request.tools, "signatures")}

${today}`;
  }
  if (mode === "tool-calls") return `${ROLE}\n${FORMAT[mode](request.maxSteps)}\n\n${today}`;
  const detail = options.toolDetail ?? "signatures";
  const heading =
    detail === "signatures"
      ? "Tools (? marks an optional parameter):"
      : "Tools, with the JSON Schema of their arguments:";
  return `${ROLE}\n${FORMAT[mode](request.maxSteps)}\n\n${heading}\n${toolList(request.tools, detail)}\n\n${today}`;
}

function toolList(tools: ToolSpec[], detail: "signatures" | "schemas"): string {
  if (tools.length === 0) return "(none)";
  return tools
    .map((t) =>
      detail === "signatures"
        ? `- ${toolSignature(t.name, t.inputSchema, { describe: true })}: ${oneLine(t.description)}`
        : `- ${t.name}: ${t.description}\n  input schema: ${JSON.stringify(t.inputSchema)}`,
    )
    .join("\n");
}

const EARLIER = "Earlier questions in this conversation (for reference only):";
const NOTED = "Noted.";
const REJECTED = "That plan was rejected:";
const CORRECT = "Return a corrected plan in the same format.";
/** Fixed notes (no counts: a number in a cloud request could look like a tool value to the egress guard). */
const REPLY_CUT = "[… the rest of that reply is not repeated]";
const PROBLEMS_CUT = "[… more problems not listed]";
/**
 * Most characters of its own previous reply a repair request echoes back to the planner (a real
 * plan is a few KB; a runaway reply is not sent back whole), and of the problem list after it.
 */
export const MAX_REPAIR_ECHO_CHARS = 8_000;
export const MAX_REPAIR_PROBLEMS_CHARS = 8_000;

/**
 * The fixed parts of what the planner is sent (instructions, date, tool list, framing) in every
 * mode and tool detail. They are public by construction; the egress guard is told so, so a tool
 * value that equals a word of them (a year, a tool name) does not block the request. Dynamic
 * content is not included.
 */
export function plannerTemplateText(request: PlanRequest): string[] {
  const modes: PlannerMode[] = ["json", "compact", "tool-calls"];
  return [
    ...modes.flatMap((mode) => [
      plannerSystemPrompt(request, mode, { toolDetail: "signatures" }),
      plannerSystemPrompt(request, mode, { toolDetail: "schemas" }),
    ]),
    plannerSystemPrompt(request, "json", { local: true }),
    EARLIER,
    NOTED,
    REJECTED,
    CORRECT,
    REPLY_CUT,
    PROBLEMS_CUT,
  ];
}

export function plannerMessages(request: PlanRequest): ModelMessage[] {
  const messages: ModelMessage[] = [];
  if (request.history?.length) {
    const earlier = request.history.map((h, i) => `${i + 1}. ${h}`).join("\n");
    messages.push({
      role: "user",
      content: `${EARLIER}\n${earlier}`,
    });
    messages.push({ role: "assistant", content: NOTED });
  }
  messages.push({ role: "user", content: request.prompt });
  if (request.repair) {
    const previous =
      request.repair.previous.kind === "text"
        ? request.repair.previous.text
        : JSON.stringify(request.repair.previous.calls.map((c) => ({ tool: c.toolName, args: c.input })));
    messages.push({ role: "assistant", content: clipped(previous, MAX_REPAIR_ECHO_CHARS, REPLY_CUT) });
    const problems = clipped(
      request.repair.issues.map((i) => `- ${i.message}`).join("\n"),
      MAX_REPAIR_PROBLEMS_CHARS,
      PROBLEMS_CUT,
    );
    messages.push({
      role: "user",
      content: `${REJECTED}\n${problems}\n${CORRECT}`,
    });
  }
  return messages;
}

/** `text` cut at `max` characters with a visible note of how much was left out. */
function clipped(text: string, max: number, note: string): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n${note}`;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ").trim();

/**
 * `find_customer(city: string, limit?: integer)`: what a model needs to pick a tool and fill
 * its arguments. With `describe`, each argument's description follows it as a comment, and
 * defaults and ranges are shown.
 */
export function toolSignature(
  name: string,
  schema: JSONSchema7,
  options: { describe?: boolean } = {},
): string {
  return `${name}(${params(schema, options.describe ?? false, 0).join(", ")})`;
}

function params(schema: JSONSchema7, describe: boolean, depth: number): string[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([arg, def]: [string, JSONSchema7Definition]) => {
    const key = /^[A-Za-z_$][\w$-]*$/.test(arg) ? arg : JSON.stringify(arg);
    let text = `${key}${required.has(arg) ? "" : "?"}: ${typeName(def, describe, depth)}`;
    if (describe && typeof def !== "boolean") {
      if (def.default !== undefined) text += ` = ${JSON.stringify(def.default)}`;
      if (def.description) text += ` /* ${oneLine(def.description).slice(0, 200)} */`;
    }
    return text;
  });
}

function typeName(def: JSONSchema7Definition, describe: boolean, depth: number): string {
  if (typeof def === "boolean") return "any";
  const limit = describe ? 20 : 6;
  if (def.const !== undefined) return JSON.stringify(def.const);
  if (def.enum) {
    const values = def.enum.slice(0, limit).map((v: unknown) => JSON.stringify(v));
    return values.join(" | ") + (def.enum.length > limit ? " | …" : "");
  }
  const union = def.anyOf ?? def.oneOf;
  if (union && describe)
    return union.map((d: JSONSchema7Definition) => typeName(d, describe, depth)).join(" | ");
  if (def.type === "array") {
    const items =
      def.items && typeof def.items === "object" && !Array.isArray(def.items)
        ? typeName(def.items, describe, depth)
        : "any";
    return items.includes(" ") ? `(${items})[]` : `${items}[]`;
  }
  if (def.type === "object" && describe && def.properties && depth < 2)
    return `{${params(def, describe, depth + 1).join(", ")}}`;
  if (Array.isArray(def.type)) return def.type.join(" | ");
  const base = def.type ?? (union ? "any" : "object");
  if (!describe) return base;
  // zod writes the safe-integer range on every int(): not worth a token.
  const min = def.minimum !== undefined && def.minimum > Number.MIN_SAFE_INTEGER ? def.minimum : undefined;
  const max = def.maximum !== undefined && def.maximum < Number.MAX_SAFE_INTEGER ? def.maximum : undefined;
  if ((base === "integer" || base === "number") && (min !== undefined || max !== undefined))
    return `${base} ${min ?? ""}..${max ?? ""}`;
  if (base === "string" && def.format) return `string (${def.format})`;
  return base;
}
