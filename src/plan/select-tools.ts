/**
 * Tool selection for configurations with many tools: rank the tools locally by relevance to
 * the (pseudonymized) question and show the planner only the best ones. Ranking is BM25 over
 * each tool's name, description and parameters; nothing leaves the machine to do it.
 */
import type { JSONSchema7Definition } from "@ai-sdk/provider";
import type { ToolSpec } from "../tools/tool.js";
import type { PlanRequest } from "./planner.js";

export interface ToolSelectionOptions {
  /** Select only when there are more tools than this. Default 24. */
  above?: number;
  /** How many tools to show on the first attempt; a repair round shows twice as many. Default 12. */
  top?: number;
}

export const TOOL_SELECTION_DEFAULTS = { above: 24, top: 12 } as const;

/**
 * The tools to show the planner for this request, in their configured order (a stable order
 * keeps the prompt prefix cacheable). A repair round widens the choice; one whose problem was an
 * unknown tool shows every tool.
 */
export function selectTools(request: PlanRequest, options: ToolSelectionOptions | false = {}): ToolSpec[] {
  const tools = request.tools;
  if (options === false) return tools;
  const above = options.above ?? TOOL_SELECTION_DEFAULTS.above;
  let top = options.top ?? TOOL_SELECTION_DEFAULTS.top;
  if (tools.length <= above) return tools;
  if (request.repair) {
    if (request.repair.issues.some((i) => i.kind === "unknown-tool")) return tools;
    top *= 2;
  }
  if (tools.length <= top) return tools;
  const query = [request.prompt, ...(request.history ?? [])].join("\n");
  const scores = rankTools(tools, query);
  const chosen = new Set(
    tools
      .map((_, i) => ({ i, score: scores[i] }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, top)
      .map((x) => x.i),
  );
  return tools.filter((_, i) => chosen.has(i));
}

const STOP = new Set(
  "a an and are as at be by can did do does for from has have how i in is it its me my of on or our so than that the their them then there these they this to was we were what when where which who whom why will with you your".split(
    " ",
  ),
);

/** Placeholder types stand for values the tools take under other names. */
const PLACEHOLDER_WORDS: Record<string, string> = {
  person: "person name customer user",
  email: "email mail address",
  phone: "phone telephone number",
  gpe: "city country location place",
  location: "city country location place address",
  loc: "city country location place",
  address: "address street city",
  org: "company organization organisation",
  date: "date day",
};

export function terms(text: string): string[] {
  const expanded = text
    .replace(
      /<([A-Z][A-Z0-9_]*?)_\d+>/g,
      (_, type: string) => ` ${PLACEHOLDER_WORDS[type.toLowerCase()] ?? type} `,
    )
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
  const out: string[] = [];
  for (const word of expanded.match(/\p{L}[\p{L}\p{N}]*/gu) ?? []) {
    if (word.length < 2 || STOP.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("es") && /(?:s|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** Weighted terms of a tool: its name counts most, then its parameters, then its description. */
function toolTerms(tool: ToolSpec): Map<string, number> {
  const weights = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const t of terms(text)) weights.set(t, (weights.get(t) ?? 0) + weight);
  };
  add(tool.name.replace(/[_-]/g, " "), 3);
  add(tool.description, 1);
  const properties: Record<string, JSONSchema7Definition> = tool.inputSchema.properties ?? {};
  for (const [arg, def] of Object.entries(properties)) {
    add(arg.replace(/[_-]/g, " "), 2);
    if (typeof def !== "boolean") {
      if (def.description) add(def.description, 1);
      if (def.enum) add(def.enum.slice(0, 50).map(String).join(" "), 1);
    }
  }
  return weights;
}

/** BM25 score of each tool for the query (k1 1.2, b 0.75). */
export function rankTools(tools: ToolSpec[], query: string): number[] {
  const docs = tools.map(toolTerms);
  const lengths = docs.map((d) => [...d.values()].reduce((a, b) => a + b, 0));
  const avg = lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length);
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const q = [...new Set(terms(query))];
  return docs.map((d, i) => {
    let score = 0;
    for (const t of q) {
      const tf = d.get(t);
      if (!tf) continue;
      const n = df.get(t) ?? 0;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * lengths[i]) / (avg || 1)));
    }
    return score;
  });
}
