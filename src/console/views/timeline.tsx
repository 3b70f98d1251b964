import type { RunTrace } from "../../core/trace.js";
import { formatMs } from "./format.js";
import { timelineBars } from "./timeline-bars.js";

const ROW_H = 22;
const LABEL_W = 200;
const CHART_W = 640;
const AXIS_H = 24;

/** A Gantt chart of the run: one bar per stage and per tool step, on one millisecond axis. */
export function Timeline(props: { trace: RunTrace }) {
  const bars = timelineBars(props.trace);
  if (bars.length === 0) return <p class="muted">No stage of this run was timed.</p>;
  const end = Math.max(1, ...bars.map((b) => b.startMs + b.durationMs));
  const scale = CHART_W / end;
  const height = bars.length * ROW_H + AXIS_H;
  const ticks = tickValues(end);
  return (
    <svg
      class="timeline"
      role="img"
      aria-labelledby="timeline-title"
      width={LABEL_W + CHART_W + 80}
      height={height}
      viewBox={`0 0 ${LABEL_W + CHART_W + 80} ${height}`}
      data-bars={bars.length}
    >
      <title id="timeline-title">Timeline: {bars.map((b) => b.label).join(", ")}</title>
      {ticks.map((t) => (
        <g class="tick">
          <line x1={LABEL_W + t * scale} x2={LABEL_W + t * scale} y1="0" y2={height - AXIS_H} />
          <text x={LABEL_W + t * scale} y={height - 8} text-anchor="middle">
            {formatMs(t)}
          </text>
        </g>
      ))}
      {bars.map((b, i) => {
        const y = i * ROW_H;
        const x = LABEL_W + b.startMs * scale;
        const w = Math.max(2, b.durationMs * scale);
        return (
          <g
            class={`bar bar-${b.kind}${b.status ? ` status-${b.status}` : ""}`}
            data-step={b.stepId}
            data-kind={b.kind}
          >
            <text x={LABEL_W - 8} y={y + 15} text-anchor="end" class="bar-label">
              {b.label}
            </text>
            <rect x={r(x)} y={y + 4} width={r(w)} height={ROW_H - 8} rx="3">
              <title>
                {b.label}: {formatMs(b.durationMs)} from {formatMs(b.startMs)}
              </title>
            </rect>
            <text x={r(x + w + 4)} y={y + 15} class="bar-value">
              {formatMs(b.durationMs)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** About five round tick values from 0 to `end`. */
function tickValues(end: number): number[] {
  const raw = end / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = 0; t <= end + 1e-9; t += step) out.push(Math.round(t * 1000) / 1000);
  return out;
}

function r(v: number): number {
  return Math.round(v * 10) / 10;
}
