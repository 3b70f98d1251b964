import type { ToolSpec } from "../tools/tool.js";
import { createPseudonymizer, type Pseudonymizer, type PseudonymizerOptions } from "./pseudonymizer.js";
import { createStrictPseudonymizer } from "./strict/strict-pseudonymizer.js";

/**
 * `standard` (default): detectors and the data's values are replaced, everything else goes out.
 * `strict`: allow-list: only common English (and the prompt's language's common words), words of
 * the tool specs, `allowTerms` and plain quantities go out; every other word run is a placeholder.
 */
export type PrivacyMode = "standard" | "strict";
export const PRIVACY_MODES: readonly PrivacyMode[] = ["standard", "strict"];

export interface ModePseudonymizerOptions extends PseudonymizerOptions {
  mode?: PrivacyMode;
  /** Strict mode: words and phrases that may always go out. */
  allowTerms?: string[];
}

export function createModePseudonymizer(options: ModePseudonymizerOptions): Pseudonymizer {
  const { mode = "standard", allowTerms, ...rest } = options;
  return mode === "strict" ? createStrictPseudonymizer({ ...rest, allowTerms }) : createPseudonymizer(rest);
}

/**
 * The words of tool specs, public by definition (the planner gets the specs anyway): names split
 * at `_`, `-`, `.` and case changes, descriptions, property names, their descriptions and enum
 * values, at any depth. Lower-case.
 */
export function publicTermsOf(tools: readonly ToolSpec[]): Set<string> {
  const terms = new Set<string>();
  const addText = (text: string) => {
    const spaced = text.replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2");
    for (const w of spaced.toLowerCase().split(/[^\p{L}\p{N}\p{M}'’]+/u)) if (w) terms.add(w);
    for (const w of text.toLowerCase().split(/[^\p{L}\p{N}\p{M}_'’-]+/u)) if (w) terms.add(w);
  };
  const visit = (v: unknown, key?: string): void => {
    if (typeof v === "string") {
      if (key !== "type" && key !== "$schema" && key !== "format" && key !== "pattern") addText(v);
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x);
    } else if (v !== null && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (key === "properties") addText(k);
        visit(x, k);
      }
  };
  for (const t of tools) {
    addText(t.name);
    addText(t.description);
    visit(t.inputSchema);
  }
  return terms;
}
