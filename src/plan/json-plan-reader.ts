/**
 * Reads a JSON plan (`{"steps": [...]}` or a bare array, after any prose or code fence) as it
 * streams in, and returns each step as soon as its object has closed. One pass over each
 * character; the whole reply is still parsed and validated by `parsePlan` at the end.
 */
import type { PlanStep } from "../core/plan.js";

export class JsonPlanReader {
  private buffer = "";
  private at = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private stringStart = -1;
  /** Last string closed at depth 1 (a candidate key of the top-level object). */
  private lastKey: string | undefined;
  /** Depth inside the steps array (its elements open one deeper), once found. */
  private arrayDepth = 0;
  private elementStart = -1;
  private count = 0;
  private started = false;
  private done = false;

  push(chunk: string): PlanStep[] {
    if (this.done) return [];
    this.buffer += chunk;
    const steps: PlanStep[] = [];
    for (; this.at < this.buffer.length; this.at++) {
      const c = this.buffer[this.at];
      if (!this.started) {
        // Prose or a fence before the JSON: skip to the first bracket.
        if (c !== "{" && c !== "[") continue;
        this.started = true;
        if (c === "[") this.arrayDepth = 1;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === "\\") this.escaped = true;
        else if (c === '"') {
          this.inString = false;
          if (this.depth === 1) this.lastKey = safeParse(this.buffer.slice(this.stringStart, this.at + 1));
        }
        continue;
      }
      if (c === '"') {
        this.inString = true;
        this.stringStart = this.at;
      } else if (c === "{" || c === "[") {
        this.depth++;
        if (c === "[" && this.depth === 2 && this.arrayDepth === 0 && this.lastKey === "steps")
          this.arrayDepth = 2;
        if (this.arrayDepth && this.depth === this.arrayDepth + 1 && c === "{") this.elementStart = this.at;
      } else if (c === "}" || c === "]") {
        if (this.arrayDepth && this.depth === this.arrayDepth + 1 && this.elementStart >= 0) {
          const step = toStep(safeParse(this.buffer.slice(this.elementStart, this.at + 1)), this.count);
          this.count++;
          this.elementStart = -1;
          if (step) steps.push(step);
        }
        this.depth--;
        if (this.depth === 0) {
          this.done = true;
          break;
        }
      }
    }
    return steps;
  }
}

function safeParse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The same reading of one element as `parsePlan` (a malformed element is reported there). */
function toStep(value: unknown, index: number): PlanStep | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const s = value as Record<string, unknown>;
  if (typeof s.tool !== "string") return undefined;
  const args = s.args ?? s.arguments ?? {};
  if (typeof args !== "object" || args === null || Array.isArray(args)) return undefined;
  return {
    id: typeof s.id === "string" ? s.id : `s${index + 1}`,
    tool: s.tool,
    args: args as Record<string, unknown>,
  };
}
