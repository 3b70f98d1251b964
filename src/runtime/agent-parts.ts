import type { LanguageModel } from "ai";
import type { ModelConfig } from "../config/config-schema.js";
import type { FlmConfig } from "../config/load-config.js";
import { type TokenCounter, tokenizerTokenCounter } from "../context/token-counter.js";
import { createLocalPlanner } from "../plan/local-planner.js";
import { createModelPlanner } from "../plan/model-planner.js";
import type { Planner } from "../plan/planner.js";
import type { Privacy } from "../privacy/agent-privacy.js";
import { createEgressTap } from "../privacy/egress-tap.js";
import { withPromptWarmUp } from "../models/prompt-prefill.js";
import { parseModelSpec } from "../models/resolve-model.js";
import type { TrustPolicy } from "../privacy/trust-policy.js";
import { createConfiguredModel, isLlamaModel } from "./model-factory.js";
import { assertModelHostTrusted } from "./trust-checks.js";

export interface GeneratorParts {
  model: LanguageModel;
  /** The model reads its answer prompt ahead (prefill while waiting). */
  prefill: boolean;
  contextWindow?: number;
  tokenCounter?: TokenCounter;
  /** Map-reduce chunks at once. */
  parallel: number;
}

export interface PlannerParts {
  planner: Planner;
  fallbackPlanner?: Planner;
  /** The planner's own model when it runs here (a `location: local` spec), for readiness probes. */
  localModel?: LanguageModel;
}

export interface AgentPartsContext {
  config: FlmConfig;
  env: Record<string, string | undefined>;
  /** The real fetch under guard and tap (tests). */
  fetch?: typeof fetch;
  privacy?: Privacy;
  /** Decides which model hosts may see data. */
  trust: TrustPolicy;
  /** Where disposers of loaded models go (the runtime closes them). */
  closers: Array<() => Promise<unknown>>;
}

export interface AgentParts {
  generator(spec: ModelConfig, at: string): Promise<GeneratorParts>;
  planner(
    spec: "local" | ModelConfig,
    at: string,
    generatorSpec: ModelConfig,
    generator: LanguageModel,
  ): Promise<PlannerParts>;
}

/**
 * Builds generators and planners for the agents, once per distinct spec: two agents with the same
 * generator share one model (one in-process llama.cpp context, not two). Every agent's planner is
 * built here, so each one gets the same trust checks and the same egress guard.
 */
export function createAgentParts(context: AgentPartsContext): AgentParts {
  const { config, env, privacy, closers } = context;
  const generators = new Map<string, Promise<GeneratorParts>>();
  const planners = new Map<string, Promise<PlannerParts>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, build: () => Promise<T>) => {
    let parts = cache.get(key);
    if (!parts) {
      parts = build();
      cache.set(key, parts);
    }
    return parts;
  };

  const buildGenerator = async (spec: ModelConfig, at: string): Promise<GeneratorParts> => {
    await assertModelHostTrusted(spec, "generator", context.trust, env, at);
    const configured = await createConfiguredModel(spec, at, { config, env, fetch: context.fetch });
    // The in-process model knows its window and tokenizer; other endpoints declare the window.
    const inProcess = isLlamaModel(configured) ? configured : undefined;
    const prefill = generatorPrefill(spec, Boolean(inProcess));
    // A local server reads ahead through warm-up requests its prefix cache keeps.
    const model =
      prefill && !inProcess && typeof configured === "object" && configured.specificationVersion === "v3"
        ? withPromptWarmUp(configured)
        : configured;
    if (inProcess) closers.push(() => inProcess.dispose());
    const contextWindow =
      (typeof spec === "object" ? spec.contextWindow : undefined) ?? (await inProcess?.contextWindow());
    const tokenCounter = inProcess ? await tokenizerTokenCounter(inProcess) : undefined;
    // One in-process context serves one sequence at a time; servers take chunks in parallel.
    const parallel = inProcess ? (typeof spec === "object" ? (spec.sequences ?? 1) : 1) : 4;
    return { model, prefill, contextWindow, tokenCounter, parallel };
  };

  const buildPlanner = async (
    spec: "local" | ModelConfig,
    at: string,
    generator: LanguageModel,
  ): Promise<PlannerParts> => {
    if (spec === "local") return { planner: createLocalPlanner({ model: generator }) };
    const location = typeof spec === "object" && spec.location === "local" ? "local" : "cloud";
    // The one door to the cloud: the guard (when privacy is on) inside the tap, for every agent.
    const fetch =
      location === "cloud"
        ? (privacy?.cloudFetch(context.fetch) ?? createEgressTap(context.fetch))
        : context.fetch;
    // A "local" planner gets no guard, so it must really be local (or declared trusted).
    if (location === "local") await assertModelHostTrusted(spec, "planner", context.trust, env, at);
    const model = await createConfiguredModel(spec, at, { config, env, fetch });
    if (isLlamaModel(model)) closers.push(() => model.dispose());
    const planner = createModelPlanner({
      model,
      location,
      mode: (typeof spec === "object" ? spec.mode : undefined) ?? "compact",
      toolDetail: typeof spec === "object" ? spec.toolDetail : undefined,
    });
    // When the cloud is unreachable or slow, the local model plans (nothing leaves).
    const fallback = location === "cloud" && !(typeof spec === "object" && spec.fallback === false);
    return {
      planner,
      fallbackPlanner: fallback ? createLocalPlanner({ model: generator }) : undefined,
      localModel: location === "local" ? model : undefined,
    };
  };

  return {
    generator: (spec, at) => once(generators, JSON.stringify(spec), () => buildGenerator(spec, at)),
    // A local planner and the fallback plan with the agent's generator: part of the key.
    planner: (spec, at, generatorSpec, generator) =>
      once(planners, JSON.stringify([spec, generatorSpec]), () => buildPlanner(spec, at, generator)),
  };
}

/** Prefill while waiting is on by default where the model runs here or on a local server. */
function generatorPrefill(spec: ModelConfig, inProcess: boolean): boolean {
  if (typeof spec === "object" && spec.prefill !== undefined) return spec.prefill;
  if (inProcess) return true;
  const provider = typeof spec === "object" ? spec.provider : parseModelSpec(spec).provider;
  return provider === "ollama" || provider === "openai-compatible";
}
