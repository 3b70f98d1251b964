/**
 * The compact plan language: one step per line, about half the tokens of a JSON plan.
 *
 *     s1 = find_customer(name="<PERSON_1>")
 *     s2 = list_invoices(customer_ids=[s1.rows[0].CustomerId], limit=5)
 *     s3 = invoice_lines(invoice_ids=s2.rows[*].InvoiceId)
 *
 * Values are JSON (strings, numbers, true/false/null, arrays, objects with bare or quoted keys);
 * a bare step id, optionally followed by a path, is a reference to that step's output, the same
 * `{ $ref, path }` a JSON plan writes. It parses into the same `Plan` and goes through the same
 * validation. The reader is incremental: each step is returned as soon as its closing
 * parenthesis has arrived, so a plan can start running while the planner is still writing it.
 */
import { isStepRef, type PlanStep } from "../core/plan.js";
import { Incomplete, Malformed, PATH_SEGMENT, ValueParser } from "./compact-value-parser.js";
import type { PlanIssue } from "./plan-errors.js";

export { MAX_VALUE_DEPTH } from "./compact-value-parser.js";

/** Larger replies are not plans (the same bound as JSON plans). */
export const MAX_COMPACT_PLAN_CHARS = 200_000;

const STEP_HEAD = /[ \t]*(?:(?:[-*]|\d+[.)])[ \t]+)?([A-Za-z][\w-]*)[ \t]*=[ \t]*([A-Za-z][\w-]*)[ \t]*\(/y;
const NO_LOOKUP = /^(?:none|no lookups? (?:is |are )?needed)[.!]?$/i;

/** What the reader found so far: complete steps (in order) and problems. */
export interface CompactReadResult {
  steps: PlanStep[];
  issues: PlanIssue[];
}

/**
 * Reads a compact plan as it streams in. `push` returns the steps completed by this chunk;
 * `end` returns the problems with the whole reply (a cut-off step, no steps and no `NONE`).
 */
export class CompactPlanReader {
  /** The text not consumed yet (consumed text is dropped, so the buffer stays one step long). */
  private buffer = "";
  private at = 0;
  private total = 0;
  private readonly found: PlanStep[] = [];
  private readonly problems: PlanIssue[] = [];
  private prose = "";
  private tooLong = false;
  /** Inside a line that is not a step, or after a step on its line: skipped up to the newline. */
  private skipping = false;
  /** The step whose argument list is arriving. */
  private open?: { id: string; tool: string; argsAt: number } & Balance;

  get steps(): readonly PlanStep[] {
    return this.found;
  }

  push(chunk: string): PlanStep[] {
    if (this.tooLong) return [];
    this.total += chunk.length;
    if (this.total > MAX_COMPACT_PLAN_CHARS) {
      this.tooLong = true;
      this.problems.push({
        kind: "malformed",
        message: `the reply is over ${MAX_COMPACT_PLAN_CHARS} characters long; a plan must be a few short lines`,
      });
      return [];
    }
    // Every character is looked at once: a long step or line streamed in small pieces stays linear.
    if (this.open) {
      const closed = scanBalance(this.open, chunk);
      this.buffer += chunk;
      if (!closed) return [];
    } else if (this.skipping) {
      const newline = chunk.indexOf("\n");
      if (newline === -1) return [];
      this.skipping = false;
      this.buffer += chunk.slice(newline + 1);
    } else {
      this.buffer += chunk;
    }
    return this.scan(false);
  }

  end(): CompactReadResult {
    if (!this.tooLong) this.scan(true);
    const issues = [...this.problems];
    if (!this.tooLong && this.found.length === 0 && issues.length === 0) {
      const text = this.prose.replace(/```\w*/g, "").trim();
      if (!NO_LOOKUP.test(text)) {
        issues.push({
          kind: "malformed",
          message: text
            ? 'the reply has no plan steps; write one step per line, like s1 = tool_name(arg="value"), or NONE if no lookup is needed'
            : 'the reply was empty; write one step per line, like s1 = tool_name(arg="value"), or NONE if no lookup is needed',
        });
      }
    }
    return { steps: [...this.found], issues };
  }

  private scan(final: boolean): PlanStep[] {
    const completed: PlanStep[] = [];
    while (this.at < this.buffer.length) {
      if (this.skipping) {
        const next = this.buffer.indexOf("\n", this.at);
        this.at = next === -1 ? this.buffer.length : next + 1;
        this.skipping = next === -1;
        continue;
      }
      if (!this.open) {
        const lineEnd = this.buffer.indexOf("\n", this.at);
        STEP_HEAD.lastIndex = this.at;
        const head = STEP_HEAD.exec(this.buffer);
        if (!head) {
          // Prose, a comment, a code fence, or a step head not complete yet.
          const line = this.buffer.slice(this.at, lineEnd === -1 ? undefined : lineEnd);
          if (lineEnd === -1 && !final && line.length < 200) break;
          if (this.prose.length < 1000) this.prose += `${line.slice(0, 1000)}\n`;
          this.at = lineEnd === -1 ? this.buffer.length : lineEnd + 1;
          this.skipping = lineEnd === -1;
          continue;
        }
        const argsAt = STEP_HEAD.lastIndex;
        this.open = { id: head[1], tool: head[2], argsAt, ...newBalance() };
        if (!scanBalance(this.open, this.buffer.slice(argsAt)) && !final) break;
      } else if (!this.open.closed && !final) break;
      const open = this.open;
      this.open = undefined;
      const parser = new ValueParser(this.buffer, open.argsAt, final);
      try {
        const step: PlanStep = { id: open.id, tool: open.tool, args: parser.args() };
        this.found.push(step);
        completed.push(step);
      } catch (error) {
        if (error instanceof Incomplete) {
          this.problems.push({
            kind: "malformed",
            stepId: open.id,
            message: `step ${open.id} is cut off; close its argument list with ")"`,
          });
          this.at = this.buffer.length;
          break;
        }
        if (!(error instanceof Malformed)) throw error;
        this.problems.push({
          kind: "malformed",
          stepId: open.id,
          message: `step ${open.id}: ${error.message}`,
        });
      }
      // Anything after the step on its line (a comment, a ";", the rest of a bad step) is skipped.
      this.at = Math.max(parser.at, open.argsAt);
      this.skipping = true;
    }
    if (!this.open) {
      this.buffer = this.buffer.slice(this.at);
      this.at = 0;
    }
    return completed;
  }
}

interface Balance {
  depth: number;
  quote: string | undefined;
  escaped: boolean;
  /** True once the closing parenthesis has arrived (or a string ran past a line end). */
  closed: boolean;
}

const newBalance = (): Balance => ({ depth: 1, quote: undefined, escaped: false, closed: false });

/**
 * Advances over the new characters `text` of an argument list; true once its closing parenthesis has arrived, or a string runs past the end of a
 * line (which the parser then reports).
 */
function scanBalance(b: Balance, text: string): boolean {
  for (let i = 0; i < text.length && !b.closed; i++) {
    const c = text[i];
    if (b.quote) {
      if (b.escaped) b.escaped = false;
      else if (c === "\\") b.escaped = true;
      else if (c === b.quote) b.quote = undefined;
      else if (c === "\n") b.closed = true;
      continue;
    }
    if (c === '"' || c === "'") b.quote = c;
    else if (c === "(" || c === "[" || c === "{") b.depth++;
    else if (c === ")" || c === "]" || c === "}") {
      b.depth--;
      if (b.depth === 0) b.closed = true;
    }
  }
  return b.closed;
}

/** Parses a whole compact plan. */
export function parseCompactPlan(text: string): CompactReadResult {
  const reader = new CompactPlanReader();
  reader.push(text);
  return reader.end();
}

/** Renders steps in the compact language (for prompts, repair echoes and measurements). */
export function renderCompactPlan(steps: readonly PlanStep[]): string {
  return steps.map(renderCompactStep).join("\n");
}

export function renderCompactStep(step: PlanStep): string {
  const args = Object.entries(step.args).map(([k, v]) => `${renderKey(k)}=${renderValue(v)}`);
  return `${step.id} = ${step.tool}(${args.join(", ")})`;
}

const BARE_KEY = /^[A-Za-z_$][\w$-]*$/;
const RESERVED = new Set(["true", "false", "null", "True", "False", "None"]);

function renderKey(key: string): string {
  return BARE_KEY.test(key) && !RESERVED.has(key) ? key : JSON.stringify(key);
}

function renderValue(value: unknown): string {
  if (isStepRef(value) && Object.keys(value).length <= 2 && BARE_KEY.test(value.$ref)) {
    const path = value.path ?? "";
    if (path === "") return value.$ref;
    if (typeof path === "string" && isRenderablePath(path))
      return `${value.$ref}${path.startsWith("[") ? "" : "."}${path}`;
  }
  if (Array.isArray(value)) return `[${value.map(renderValue).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${renderKey(k)}: ${renderValue(v)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function isRenderablePath(path: string): boolean {
  const withDot = path.startsWith("[") ? path : `.${path}`;
  let at = 0;
  while (at < withDot.length) {
    PATH_SEGMENT.lastIndex = at;
    if (!PATH_SEGMENT.exec(withDot)) return false;
    at = PATH_SEGMENT.lastIndex;
  }
  return true;
}
