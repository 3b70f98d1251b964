import type { RunStatus } from "../../traces/run-record.js";

export function StatusBadge(props: { status: RunStatus | string }) {
  return <span class={`badge status-${props.status}`}>{props.status}</span>;
}
