import type { StepTrace } from "../../core/trace.js";
import type { Plan } from "../../core/plan.js";
import { layoutPlan } from "./layout-plan.js";

/**
 * The plan as an SVG graph laid out by dagre on the server: one node per step (coloured by how it
 * ended, linking to its row in the steps table) and one arrow per `$ref` dependency, labelled
 * with the referenced path.
 */
export function PlanGraph(props: { plan: Plan; steps: StepTrace[] }) {
  if (props.plan.steps.length === 0)
    return <p class="muted">The plan has no steps: the answer came from the prompt alone.</p>;
  const layout = layoutPlan(props.plan, props.steps);
  return (
    <svg
      class="plan-graph"
      role="img"
      aria-labelledby="plan-graph-title"
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      data-steps={layout.nodes.length}
      data-edges={layout.edges.length}
    >
      <title id="plan-graph-title">
        Plan: {layout.nodes.length} steps, {layout.edges.length} references
      </title>
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
        </marker>
      </defs>
      {layout.edges.map((e) => (
        <g class="edge" data-from={e.from} data-to={e.to}>
          <path d={pathOf(e.points)} marker-end="url(#arrow)" />
          {e.label ? (
            <text x={round(e.label.x)} y={round(e.label.y + 4)} text-anchor="middle" class="edge-label">
              {e.label.text}
            </text>
          ) : null}
        </g>
      ))}
      {layout.nodes.map((n) => (
        <a href={`#step-${n.id}`} class={`node status-${n.status ?? "planned"}`} data-step={n.id}>
          <rect x={round(n.x)} y={round(n.y)} width={round(n.width)} height={round(n.height)} rx="6" />
          <text x={round(n.x + n.width / 2)} y={round(n.y + 18)} text-anchor="middle" class="node-id">
            {n.id}
          </text>
          <text x={round(n.x + n.width / 2)} y={round(n.y + 34)} text-anchor="middle" class="node-tool">
            {n.tool}
          </text>
        </a>
      ))}
    </svg>
  );
}

function pathOf(points: Array<{ x: number; y: number }>): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"} ${round(p.x)} ${round(p.y)}`).join(" ");
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
