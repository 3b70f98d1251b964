import type { ModelMessage } from "ai";
import type { JSONSchema7, JSONSchema7Definition } from "@ai-sdk/provider";
import type { PlanRequest } from "./planner.js";

const RULES = `- Use only the tools listed below; arguments must match each tool's JSON Schema.
- You never see any data. To pass the output of an earlier step to a later one, write the argument as {"$ref": "s1", "path": "rows[0].customer_id"} (a path into that step's output; "rows[*].id" takes the field from every row). The value is filled in locally.
- Values written like <PERSON_1> or <EMAIL_2> are placeholders for private values: use them as argument values exactly as written; never invent new ones.
- Steps that do not depend on each other run in parallel. Add only the steps that are needed.
- If no lookup is needed to answer, return no steps.`;

const LOCAL_RULES = `- Use only the tools listed below, with their arguments.
- Values written like <PERSON_1> are placeholders for private values: use them exactly as written.
- Add only the steps that are needed; if no lookup is needed, return no steps.`;

/**
 * `compact` is for local planners decoding under the plan's JSON Schema: the grammar already
 * enforces every argument, so tools are listed as short signatures. That keeps the prompt
 * within a small model's window (a 200-table schema in full would not fit).
 */
export function plannerSystemPrompt(
  request: PlanRequest,
  mode: "json" | "tool-calls",
  options: { compact?: boolean } = {},
): string {
  const tools = request.tools
    .map((t) =>
      options.compact
        ? `- ${toolSignature(t.name, t.inputSchema)}: ${t.description}`
        : `- ${t.name}: ${t.description}\n  input schema: ${JSON.stringify(t.inputSchema)}`,
    )
    .join("\n");
  if (options.compact) {
    return `You plan tool calls that gather what is needed to answer the user's question. Today is ${request.date}.
Reply with JSON: {"steps": [{"id": "s1", "tool": "<tool>", "args": {...}}]}, at most ${request.maxSteps} steps.
${LOCAL_RULES}

Tools:
${tools || "(none)"}`;
  }
  const format =
    mode === "json"
      ? `Reply with only a JSON object, no prose: {"steps": [{"id": "s1", "tool": "<tool name>", "args": {...}}]}. Step ids are s1, s2, ... At most ${request.maxSteps} steps.`
      : `Call the tools needed, all at once (they run in parallel). At most ${request.maxSteps} calls. If none is needed, reply "no lookup needed".`;
  return `You are the planner of a federated assistant. Your only job is to decide which tool calls gather the information needed to answer the user's question; a separate model that runs locally sees the results and writes the answer.
Today is ${request.date}.
${format}
${RULES}

Tools:
${tools || "(none)"}`;
}

const EARLIER = "Earlier questions in this conversation (for reference only):";
const NOTED = "Noted.";
const REJECTED = "That plan was rejected:";
const CORRECT = "Return a corrected plan in the same format.";

/**
 * The fixed parts of what the planner is sent (instructions, date, tool list, framing). They are
 * public by construction; the egress guard is told so, so a tool value that equals a word of
 * them (a year, a tool name) does not block the request. Dynamic content is not included.
 */
export function plannerTemplateText(request: PlanRequest): string[] {
  return [
    plannerSystemPrompt(request, "json"),
    plannerSystemPrompt(request, "tool-calls"),
    EARLIER,
    NOTED,
    REJECTED,
    CORRECT,
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
    messages.push({ role: "assistant", content: previous.slice(0, 20_000) });
    const problems = request.repair.issues.map((i) => `- ${i.message}`).join("\n");
    messages.push({
      role: "user",
      content: `${REJECTED}\n${problems}\n${CORRECT}`,
    });
  }
  return messages;
}

/** `find_customer(city: string, limit?: integer)`: what a small model needs to pick a tool. */
export function toolSignature(name: string, schema: JSONSchema7): string {
  const required = new Set(schema.required ?? []);
  const args = Object.entries(schema.properties ?? {}).map(([arg, def]) => {
    return `${arg}${required.has(arg) ? "" : "?"}: ${typeName(def)}`;
  });
  return `${name}(${args.join(", ")})`;
}

function typeName(def: JSONSchema7Definition): string {
  if (typeof def === "boolean") return "any";
  if (def.enum) {
    const values = def.enum.slice(0, 6).map((v: unknown) => JSON.stringify(v));
    return values.join(" | ") + (def.enum.length > 6 ? " | …" : "");
  }
  if (def.type === "array")
    return `${def.items && typeof def.items === "object" && !Array.isArray(def.items) ? typeName(def.items) : "any"}[]`;
  if (Array.isArray(def.type)) return def.type.join(" | ");
  return def.type ?? (def.anyOf ? "any" : "object");
}
