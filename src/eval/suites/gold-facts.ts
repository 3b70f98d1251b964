import type { Fact } from "../eval-suite-schema.js";

/** Every non-null cell of gold query rows as a fact (non-integers within a cent), each once. */
export function factsOfRows(rows: Array<Record<string, unknown>>): Fact[] {
  const seen = new Set<string>();
  const out: Fact[] = [];
  for (const row of rows)
    for (const cell of Object.values(row)) {
      if (cell === null || cell === undefined) continue;
      const fact: Fact =
        typeof cell === "number" && !Number.isInteger(cell)
          ? { value: cell, tolerance: 0.01 }
          : typeof cell === "number" || typeof cell === "string"
            ? cell
            : String(cell);
      const key = JSON.stringify(fact);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(fact);
    }
  return out;
}
