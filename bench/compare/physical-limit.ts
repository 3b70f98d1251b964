/**
 * The physical limit of a question under the latency profile: the soonest any design that keeps
 * the data local could answer it. One planner round trip; the plan decoded in its most compact
 * form, each step startable once its own line is decoded; the tools on their critical path (each
 * after its inputs and its line); then only the last result left to read (prefill) and the answer
 * to decode. Everything else (reading the question and earlier results, planning overhead,
 * queueing for a slot) is assumed hidden. It uses the same seeded draws as the scripted servers.
 */
import type Database from "better-sqlite3";
import { approximateTokenCounter } from "../../src/context/token-counter.js";
import { renderStep } from "../../src/context/layout.js";
import { executePlan } from "../../src/execute/scheduler.js";
import { renderCompactPlan } from "../../src/plan/compact-plan.js";
import { dependenciesOf, type Plan } from "../../src/core/plan.js";
import type { Tool } from "../../src/tools/tool.js";
import { createChinookTools } from "./chinook-tools.js";
import { composeAnswer } from "./compose-answer.js";
import { answerTokens, between, type LatencyProfile } from "./scripted-models.js";
import type { WorkloadQuestion } from "./workload.js";

export interface PhysicalLimit {
  /** To the last answer token. */
  endToEndMs: number;
  /** To the first answer token. */
  firstTokenMs: number;
  parts: { roundTripMs: number; lastToolEndMs: number; unhiddenPrefillMs: number; answerDecodeMs: number };
}

const tokens = (text: string) => approximateTokenCounter.count(text);

/** The tool time of a call, as run-design.ts draws it (seeded by tool and resolved arguments). */
export const toolMsOf = (profile: LatencyProfile, tool: string, args: unknown) =>
  between(profile.toolMs, `${tool}|${JSON.stringify(args)}`);

export async function physicalLimits(
  workload: WorkloadQuestion[],
  db: Database.Database,
  profile: LatencyProfile,
): Promise<Map<string, PhysicalLimit>> {
  const limits = new Map<string, PhysicalLimit>();
  for (const q of workload) limits.set(q.id, await physicalLimit(q, db, profile));
  return limits;
}

async function physicalLimit(
  q: WorkloadQuestion,
  db: Database.Database,
  profile: LatencyProfile,
): Promise<PhysicalLimit> {
  // Run the plan once, untimed, to learn each step's resolved arguments (its seeded tool time).
  const msByStep = new Map<string, number>();
  let current = "";
  const tools = new Map<string, Tool>(
    createChinookTools(db, {
      latencyMs: (tool, args) => {
        msByStep.set(current, toolMsOf(profile, tool, args));
        return 0;
      },
    }).map((t) => [
      t.name,
      {
        ...t,
        run: (input, context) => {
          current = context.stepId;
          return t.run(input, context);
        },
      },
    ]),
  );
  const plan: Plan = { steps: q.plan.map(({ after: _, ...s }) => s), mode: "compact" };
  const outcomes = await executePlan(plan, { tools, concurrency: 1 });

  const roundTripMs = between(profile.cloudRttMs, `federated|${q.id}|cloud|1`);
  const msPerCloudToken = 1000 / profile.cloudTokensPerSec;
  const ends = new Map<string, number>();
  let decoded = "";
  let last = outcomes[0];
  for (const [i, step] of plan.steps.entries()) {
    decoded += `${renderCompactPlan([step])}\n`;
    const lineDecoded = roundTripMs + tokens(decoded) * msPerCloudToken;
    const inputsReady = Math.max(0, ...dependenciesOf(step).map((d) => ends.get(d) ?? 0));
    const end = Math.max(lineDecoded, inputsReady) + (msByStep.get(step.id) ?? 0);
    ends.set(step.id, end);
    if (end >= (ends.get(last.step.id) ?? 0)) last = outcomes[i];
  }
  const lastToolEndMs = ends.get(last.step.id) ?? roundTripMs;
  const unhiddenPrefillMs =
    profile.localOverheadMs + (tokens(renderStep(last)) / profile.localPrefillTokensPerSec) * 1000;
  const tps = between(profile.localTokensPerSec, `${q.id}|local-speed`);
  const answer = composeAnswer(q, outcomes.map(renderStep).join("\n\n"), answerTokens(q));
  const answerDecodeMs = (tokens(answer) * 1000) / tps;
  const ready = lastToolEndMs + unhiddenPrefillMs;
  return {
    endToEndMs: ready + answerDecodeMs,
    firstTokenMs: ready + 1000 / tps,
    parts: { roundTripMs, lastToolEndMs, unhiddenPrefillMs, answerDecodeMs },
  };
}
