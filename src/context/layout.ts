import type { StepOutcome } from "../core/step-outcome.js";

/**
 * Renders tool results for a small model: compact, readable, cheap in tokens. Arrays of flat
 * objects become a table (a header once, then one line per row) instead of indented JSON.
 */
export function renderValue(value: unknown): string {
  if (value === null || value === undefined) return "(nothing)";
  if (typeof value !== "object") return String(value);
  if (Array.isArray(value))
    return isTable(value) ? renderTable(value) : value.length === 0 ? "(no items)" : compact(value);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "(empty)";
  const lines: string[] = [];
  for (const [key, v] of entries) {
    if (Array.isArray(v) && isTable(v) && v.length > 0)
      lines.push(`${key} (${v.length}):\n${renderTable(v)}`);
    else if (Array.isArray(v) && v.length === 0) lines.push(`${key}: (none)`);
    else lines.push(`${key}: ${typeof v === "object" && v !== null ? compact(v) : String(v)}`);
  }
  return lines.join("\n");
}

function isFlat(row: unknown): row is Record<string, unknown> {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return false;
  return Object.values(row).every((v) => v === null || typeof v !== "object");
}

function isTable(rows: unknown[]): rows is Record<string, unknown>[] {
  return rows.length > 0 && rows.every(isFlat);
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  return String(v)
    .replace(/\s*\n\s*/g, " ")
    .replace(/\|/g, "\\|");
}

export function renderTable(rows: Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = [columns.join(" | ")];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(" | "));
  return lines.join("\n");
}

function compact(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** The header line of a step: `[s2] find_invoices(customer_id=42)`. */
export function stepHeader(outcome: StepOutcome): string {
  const args = outcome.args ?? outcome.step.args;
  const shown = Object.entries(args)
    .map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : compact(v)}`)
    .join(", ");
  return `[${outcome.step.id}] ${outcome.step.tool}(${shown})`;
}

/** One section of the context per step; failed steps say so, so the answer can say what is missing. */
export function renderStep(outcome: StepOutcome): string {
  const header = stepHeader(outcome);
  if (outcome.status !== "ok")
    return `${header}\nLOOKUP ${outcome.status.toUpperCase()}: ${outcome.error?.message ?? "no result"}`;
  return `${header}\n${renderValue(outcome.output)}`;
}
