import type { RunTrace } from "../core/trace.js";
import type { Plan } from "../core/plan.js";

const ms = (n: number | undefined) =>
  n === undefined ? "-" : n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`;

export function formatPlan(plan: Plan): string[] {
  return plan.steps.map((s) => `  ${s.id}  ${s.tool}(${JSON.stringify(s.args)})`);
}

/** The short trace printed after an answer: plan, steps, what went to the cloud, tokens. */
export function formatTrace(trace: RunTrace): string {
  const lines: string[] = [];
  const steps = trace.plan?.steps.length ?? 0;
  lines.push(`── trace ${trace.id}`);
  lines.push(
    `plan: ${steps} step(s) by ${trace.planner}${trace.repairs ? `, ${trace.repairs} repair(s)` : ""} (${ms(trace.stages.plan)})`,
  );
  for (const s of trace.steps) {
    lines.push(
      `  ${s.id}  ${s.tool.padEnd(24)} ${s.status.padEnd(9)} ${ms(s.durationMs)}${s.error ? `  ${s.error.code}: ${s.error.message}` : ""}`,
    );
  }
  const sent = trace.egress.filter((e) => e.decision === "allowed");
  const blocked = trace.egress.length - sent.length;
  const bytes = sent.reduce((n, e) => n + e.bytes, 0);
  const hosts = [...new Set(trace.egress.map((e) => e.host))].join(", ");
  lines.push(
    trace.egress.length
      ? `cloud: ${sent.length} request(s), ${bytes} bytes sent to ${hosts}${blocked ? `, ${blocked} BLOCKED by the egress guard` : ""}`
      : "cloud: nothing left this machine",
  );
  if (sent.length && trace.plannerPrompt !== undefined) {
    const shown =
      trace.plannerPrompt.length > 300 ? `${trace.plannerPrompt.slice(0, 300)}…` : trace.plannerPrompt;
    lines.push(`cloud saw the prompt as: ${JSON.stringify(shown)}`);
  }
  const { cloud, local } = trace.usage;
  lines.push(
    `tokens: cloud ${cloud.inputTokens} in / ${cloud.outputTokens} out, local ${local.inputTokens} in / ${local.outputTokens} out`,
  );
  lines.push(
    `time: ${ms(trace.stages.total)} total (plan ${ms(trace.stages.plan)}, tools ${ms(trace.stages.execute)}, answer ${ms(trace.stages.answer)})`,
  );
  return lines.join("\n");
}
