import type { Plan, PlanStep } from "../core/plan.js";
import { describeShapeProblem, jsonShapeProblem, PLAN_ARGS_BOUNDS } from "../core/json-shape.js";
import { parseCompactPlan } from "./compact-plan.js";
import type { PlanIssue } from "./plan-errors.js";

/** The plan languages a planner model can be asked to write (see planner-prompt.ts). */
export type PlanFormat = "json" | "compact";

/** What a planner model produced, before it is trusted. */
export type RawPlannerOutput =
  /** `format` defaults to JSON; a compact reply that is JSON after all is read as JSON. */
  | { kind: "text"; text: string; format?: PlanFormat }
  | { kind: "tool-calls"; calls: Array<{ toolName: string; input: unknown }> };

export type ParseResult = { plan: Plan; issues: [] } | { plan?: undefined; issues: PlanIssue[] };

// Larger answers are not plans: refuse before parsing, so a runaway model cannot exhaust memory.
const MAX_PLAN_CHARS = 200_000;

/**
 * Turns planner output into the one Plan type. JSON mode expects `{ "steps": [...] }`
 * (code fences and leading prose tolerated); compact mode one `s1 = tool(arg=value)` line per
 * step (compact-plan.ts); tool-call mode numbers the calls s1..sN.
 */
export function parsePlan(raw: RawPlannerOutput): ParseResult {
  const parsed = parseAnyFormat(raw);
  return parsed.plan ? withinBounds(parsed.plan) : parsed;
}

/**
 * Arguments deeper or larger than `PLAN_ARGS_BOUNDS` are refused here, before anything walks
 * them (validation, reference resolution, placeholder restoring, traces).
 */
function withinBounds(plan: Plan): ParseResult {
  const counter = { nodes: 0 };
  for (let i = 0; i < plan.steps.length; i++) {
    const problem = jsonShapeProblem(plan.steps[i].args, PLAN_ARGS_BOUNDS, counter);
    if (problem) {
      return problem.kind === "nodes"
        ? fail(`the plan's arguments have more than ${problem.limit} values in all; keep arguments short`)
        : fail(`step ${i + 1} has arguments ${describeShapeProblem(problem)}; keep arguments flat`);
    }
  }
  return { plan, issues: [] };
}

function parseAnyFormat(raw: RawPlannerOutput): ParseResult {
  if (raw.kind === "tool-calls") {
    const steps = raw.calls.map((call, i) => ({
      id: `s${i + 1}`,
      tool: call.toolName,
      args: isObject(call.input) ? call.input : {},
    }));
    const bad = raw.calls.findIndex((c) => !isObject(c.input));
    if (bad >= 0)
      return fail(
        `tool call ${bad + 1} (${String(raw.calls[bad].toolName).slice(0, 80)}) has arguments that are not a JSON object${
          typeof raw.calls[bad].input === "string"
            ? `: ${(raw.calls[bad].input as string).slice(0, 120)}`
            : ""
        }`,
      );
    return { plan: { steps, mode: "tool-calls" }, issues: [] };
  }
  const text = raw.text.trim();
  if (raw.format === "compact" && !looksLikeJson(text)) {
    if (text.length > MAX_PLAN_CHARS)
      return fail(`the reply is ${text.length} characters long; a plan must be a few short lines`);
    const read = parseCompactPlan(text);
    if (read.issues.length === 0) return { plan: { steps: read.steps, mode: "compact" }, issues: [] };
    // No lines at all, but a JSON plan after some prose: read that.
    if (read.steps.length === 0 && /"steps"\s*:/.test(text)) {
      const json = parseJsonText(text);
      if (json.plan) return json;
    }
    return { issues: read.issues };
  }
  return parseJsonText(text);
}

function parseJsonText(text: string): ParseResult {
  if (text.length > MAX_PLAN_CHARS)
    return fail(`the reply is ${text.length} characters long; a plan must be a short JSON object`);
  if (text === "") return fail('the reply was empty; answer with a JSON object {"steps": [...]}');
  const json = extractJson(text);
  if (json === undefined)
    return fail('the reply was not valid JSON; answer with only a JSON object {"steps": [...]}');
  const stepsValue = Array.isArray(json) ? json : isObject(json) ? json.steps : undefined;
  if (!Array.isArray(stepsValue))
    return fail('the JSON has no "steps" array; use {"steps": [{"id": "s1", "tool": "...", "args": {...}}]}');
  const steps: PlanStep[] = [];
  for (let i = 0; i < stepsValue.length; i++) {
    const s = stepsValue[i];
    if (!isObject(s) || typeof s.tool !== "string")
      return fail(`step ${i + 1} must be an object with "id", "tool" and "args"`);
    const args = s.args ?? s.arguments ?? {};
    if (!isObject(args)) return fail(`step ${i + 1} has "args" that are not a JSON object`);
    steps.push({ id: typeof s.id === "string" ? s.id : `s${i + 1}`, tool: s.tool, args });
  }
  return { plan: { steps, mode: "json" }, issues: [] };
}

/** A JSON object or array, possibly in a code fence: what a model asked for lines may still write. */
export function looksLikeJson(text: string): boolean {
  return /^(?:```(?:json)?\s*)?[[{]/.test(text.trimStart());
}

function fail(message: string): ParseResult {
  return { issues: [{ kind: "malformed", message }] };
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidates = [text, fenced?.[1], sliceBetween(text, "{", "}"), sliceBetween(text, "[", "]")];
  for (const c of candidates) {
    if (!c) continue;
    try {
      return JSON.parse(c);
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

function sliceBetween(text: string, open: string, close: string): string | undefined {
  const start = text.indexOf(open);
  const end = text.lastIndexOf(close);
  return start >= 0 && end > start ? text.slice(start, end + 1) : undefined;
}
