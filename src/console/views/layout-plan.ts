import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from "@dagrejs/dagre";
import type { StepStatus } from "../../core/step-outcome.js";
import type { StepTrace } from "../../core/trace.js";

import { collectRefs, type Plan } from "../../core/plan.js";

export interface PlacedNode {
  id: string;
  tool: string;
  status?: StepStatus;
  /** Top-left corner and size. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** The `$ref` paths this edge carries (`rows[0].id`), empty for a whole-output reference. */
  paths: string[];
  points: Array<{ x: number; y: number }>;
  label?: { x: number; y: number; text: string };
}

export interface PlanLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const CHAR_W = 7.2;
const NODE_H = 44;
const MARGIN = 16;

/**
 * Lays out a plan as a left-to-right graph: one node per step, one edge per step it references
 * (`$ref`), labelled with the referenced path. The layout is dagre's; rendering is SVG.
 */
export function layoutPlan(plan: Plan, steps: StepTrace[] = []): PlanLayout {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: false });
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 64, edgesep: 12, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  const status = new Map(steps.map((s) => [s.id, s.status]));
  const known = new Set(plan.steps.map((s) => s.id));
  for (const step of plan.steps) {
    const width = Math.max(step.id.length, step.tool.length) * CHAR_W + 28;
    g.setNode(step.id, { width: Math.min(Math.max(width, 96), 320), height: NODE_H });
  }
  const edgePaths = new Map<string, { from: string; to: string; paths: string[] }>();
  for (const step of plan.steps) {
    for (const { ref } of collectRefs(step.args)) {
      if (!known.has(ref.$ref)) continue;
      const key = `${ref.$ref}\u0000${step.id}`;
      const entry = edgePaths.get(key) ?? { from: ref.$ref, to: step.id, paths: [] };
      if (ref.path && !entry.paths.includes(ref.path)) entry.paths.push(ref.path);
      edgePaths.set(key, entry);
    }
  }
  for (const e of edgePaths.values()) {
    const text = labelText(e.paths);
    g.setEdge(e.from, e.to, text ? { width: text.length * 6.2 + 8, height: 14, labelpos: "c" } : {});
  }
  dagre.layout(g);
  const graph = g.graph();
  const nodes: PlacedNode[] = plan.steps.map((step) => {
    const n = g.node(step.id);
    return {
      id: step.id,
      tool: step.tool,
      status: status.get(step.id),
      x: (n.x ?? 0) - n.width / 2,
      y: (n.y ?? 0) - n.height / 2,
      width: n.width,
      height: n.height,
    };
  });
  const edges: PlacedEdge[] = [...edgePaths.values()].map((e) => {
    const laid = g.edge(e.from, e.to);
    const text = labelText(e.paths);
    return {
      ...e,
      points: laid.points ?? [],
      label:
        text && laid.x !== undefined && laid.y !== undefined ? { x: laid.x, y: laid.y, text } : undefined,
    };
  });
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), nodes, edges };
}

function labelText(paths: string[]): string {
  if (paths.length === 0) return "";
  const text = paths.join(", ");
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
