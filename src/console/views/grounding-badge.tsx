import type { Grounding } from "../../core/grounding.js";

/** Whether the answer held up against the context: `grounded`, or how many spans were not supported. */
export function GroundingBadge(props: { grounding?: Grounding }) {
  const g = props.grounding;
  if (!g) return null;
  const n = g.ungrounded.length;
  const label =
    n === 0 ? "grounded" : `${n} ungrounded${g.action && g.action !== "flagged" ? ` (${g.action})` : ""}`;
  const title = n
    ? `Not in the context or the prompt: ${g.ungrounded.map((u) => `${u.text} (${u.kind})`).join(", ")}`
    : `${g.checked} value(s) checked against the context`;
  return (
    <span class={`badge grounding-${n === 0 ? "ok" : "flagged"}`} title={title} data-grounding={String(n)}>
      {label}
    </span>
  );
}
