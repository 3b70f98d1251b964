import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { LanguageModel } from "ai";
import { createAgent } from "../agent/create-agent.js";
import { type ResolvedAgentConfig, resolveAgentConfigs } from "../config/agent-configs.js";
import { ConfigError } from "../config/config-error.js";
import { configPath, type FlmConfig } from "../config/load-config.js";
import type { Agent } from "../core/agent.js";
import type { PrivacySession } from "../core/privacy-hooks.js";
import { declaredEntityTypes } from "../config/declared-entity-types.js";
import { createPrivacy, type Privacy } from "../privacy/agent-privacy.js";
import { resolveEntityPolicies } from "../privacy/entity-types.js";
import type { AuditLog } from "../privacy/audit/audit-log.js";
import { createTrustPolicy, type ResolveHost, type TrustPolicy } from "../privacy/trust-policy.js";
import { createConfiguredSource } from "../sources/registry.js";
import type { Caller } from "../tools/caller.js";
import type { ToolSource } from "../tools/tool-source.js";
import { type AgentParts, createAgentParts } from "./agent-parts.js";
import { openConfiguredAudit } from "./open-configured-audit.js";
import { type ConfiguredState, openConfiguredState } from "./open-configured-state.js";
import type { ProbedModel } from "./probe-runtime.js";
import { withSensitiveColumns } from "./sensitive-columns.js";
import { assertSourceTrusted } from "./trust-checks.js";

export interface RuntimeUser {
  token: string;
  caller: Caller;
  /** Per-user limits (`users[].limits`). */
  limits?: { requestsPerMinute?: number; runsInFlight?: number; cloudTokensPerDay?: number };
}

export interface Runtime {
  /** The chosen agent: `options.agent`, else the top-level one (named `config.name`, default `flm`). */
  agent: Agent;
  /** The chosen agent's name. */
  name: string;
  /** Agents by name, for the gateway's `model` field; the top-level one first. */
  agents: Record<string, Agent>;
  /** Each agent's `description`, if it has one (GET /v1/models). */
  descriptions: Record<string, string | undefined>;
  users: RuntimeUser[];
  sources: ToolSource[];
  audit?: AuditLog;
  /** The PostgreSQL shared state (`state.url`), when configured. */
  state?: ConfiguredState;
  privacy?: Privacy;
  /** The models that run here (generators, local planners), each once: what `/readyz` probes. */
  localModels: ProbedModel[];
  /** Placeholders a conversation used (what stayed local), when privacy is on. */
  placeholders(session: PrivacySession | undefined): { placeholder: string; type: string }[];
  /** Where an agent's planner runs, for humans (`cloud:openai.chat/gpt-4o`); default: the chosen agent. */
  describe(name?: string): { planner: string; generator: string; tools: string[] };
  close(): Promise<void>;
}

/** `privacy.refreshIntervalMs` by default. */
export const DEFAULT_INDEX_REFRESH_MS = 60_000;

export interface BuildRuntimeOptions {
  env?: Record<string, string | undefined>;
  /** The real fetch under guard and tap (tests). */
  fetch?: typeof fetch;
  /** The agent `runtime.agent` is (default: the top-level one). Unknown → `CONFIG_INVALID`. */
  agent?: string;
  /** How host names are resolved for the trust policy (tests inject one; default: the system's DNS). */
  resolveHost?: ResolveHost;
  /** Build only that agent (the CLI's ask/plan/chat), so other agents' models are not loaded. */
  only?: boolean;
}

/**
 * Turns a validated configuration into live parts: tool sources, privacy firewall, audit log,
 * planner (cloud, guarded and tapped; or local) and generator, assembled into an agent.
 */
export async function buildRuntime(config: FlmConfig, options: BuildRuntimeOptions = {}): Promise<Runtime> {
  const env = options.env ?? process.env;
  const closers: Array<() => Promise<unknown>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    const trust = createTrustPolicy({
      trustedEndpoints: config.privacy?.trustedEndpoints,
      resolve: options.resolveHost,
    });
    const sources = await openSources(config, closers, trust);
    const audit = await openConfiguredAudit(config);
    if (audit) closers.push(() => audit.close());
    const state = await openConfiguredState(config);
    if (state) closers.push(() => state.close());
    const privacy =
      config.privacy?.enabled !== false ? createConfiguredPrivacy(config, sources, audit, state) : undefined;
    await privacy?.ready();
    // The sensitive index stays live: rows added while flm runs are protected within one interval.
    const refreshMs = config.privacy?.refreshIntervalMs ?? DEFAULT_INDEX_REFRESH_MS;
    if (privacy && refreshMs > 0) {
      privacy.startIndexRefresh(refreshMs);
      closers.push(async () => privacy.stopIndexRefresh());
    }

    const { wanted, chosen } = chooseAgents(config, options);
    const parts = createAgentParts({ config, env, fetch: options.fetch, privacy, trust, closers });
    const built: Record<string, BuiltAgent> = {};
    for (const entry of chosen) built[entry.name] = await buildAgent(entry, sources, parts, privacy);
    // The review runs on the local generator of the agent the runtime is for (privacy is shared).
    const reviewModel = built[wanted].generator;
    if (privacy && config.privacy?.localModelReview && isV3(reviewModel)) privacy.useLocalReview(reviewModel);
    // Closing an agent closes its sources; the closers above already do that once for all.
    return {
      agent: built[wanted].agent,
      name: wanted,
      agents: Object.fromEntries(Object.entries(built).map(([name, b]) => [name, b.agent])),
      descriptions: Object.fromEntries(Object.entries(built).map(([name, b]) => [name, b.description])),
      users: (config.users ?? []).map((u) => ({
        token: u.token,
        caller: { id: u.id, roles: u.roles, attributes: u.attributes },
        limits: u.limits,
      })),
      sources,
      audit,
      state,
      privacy,
      localModels: localModelsOf(Object.values(built)),
      placeholders: (session) => (session && privacy ? privacy.placeholders(session) : []),
      describe: (name = wanted) => {
        const b = built[name];
        if (!b) throw new ConfigError("CONFIG_INVALID", `No agent named "${name}" in this runtime.`);
        return b.described;
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Opens every configured tool source, once, after checking that each may receive tool arguments. */
async function openSources(
  config: FlmConfig,
  closers: Array<() => Promise<unknown>>,
  trust: TrustPolicy,
): Promise<ToolSource[]> {
  const entries = withSensitiveColumns(config);
  // Every source is checked before any is opened: a refused host must not receive a connection.
  for (const [i, entry] of entries.entries()) await assertSourceTrusted(entry, i, trust);
  const sources: ToolSource[] = [];
  for (const entry of entries) {
    const source = await createConfiguredSource(entry, { resolvePath: (p) => configPath(config, p) });
    sources.push(source);
    closers.push(() => source.close());
  }
  return sources;
}

/** The privacy firewall every agent shares (no agent can be configured weaker than another). */
function createConfiguredPrivacy(
  config: FlmConfig,
  sources: ToolSource[],
  audit: AuditLog | undefined,
  state: ConfiguredState | undefined,
): Privacy {
  return createPrivacy({
    sources,
    // Aliases (EMAIL_ADDRESS, PHONE_NUMBER, ...) under flm's names; unknown names were refused at load.
    policies: resolveEntityPolicies(config.privacy?.entities ?? {}, declaredEntityTypes(config)).policies,
    defaultPolicy: config.privacy?.defaultPolicy,
    canaries: config.privacy?.canaries,
    ner: config.privacy?.ner,
    // With state.url, what flm gave a user and a conversation's placeholders hold on every replica.
    answerTaint: { ttlMs: config.privacy?.answerTaintTtl, store: state?.answerTaint },
    conversations: { store: state?.conversations, ttlMs: state?.conversationTtlMs },
    mode: config.privacy?.mode,
    allowTerms: config.privacy?.allowTerms,
    audit,
  });
}

/** The agents to build: all of them, or only the wanted one (`only`: the CLI's ask/plan/chat). */
function chooseAgents(config: FlmConfig, options: BuildRuntimeOptions) {
  const all = resolveAgentConfigs(config);
  const wanted = options.agent ?? all[0].name;
  if (options.agent !== undefined && !all.some((a) => a.name === options.agent)) {
    throw new ConfigError("CONFIG_INVALID", `No agent named "${options.agent}" in the configuration.`, {
      issues: [{ path: "agents", message: `no agent "${options.agent}"` }],
      hint: `Use one of: ${all.map((a) => a.name).join(", ")}.`,
    });
  }
  return { wanted, chosen: options.only ? all.filter((a) => a.name === wanted) : all };
}

interface BuiltAgent {
  agent: Agent;
  /** The models this agent runs locally. */
  local: ProbedModel[];
  /** Its local generator (the prompt's local-model review runs on it). */
  generator: LanguageModel;
  description?: string;
  described: { planner: string; generator: string; tools: string[] };
}

async function buildAgent(
  entry: ResolvedAgentConfig,
  sources: ToolSource[],
  parts: AgentParts,
  privacy: Privacy | undefined,
): Promise<BuiltAgent> {
  const generator = await parts.generator(entry.generator, `${entry.at}generator`);
  const { planner, fallbackPlanner, localModel } = await parts.planner(
    entry.planner,
    `${entry.at}planner`,
    entry.generator,
    generator.model,
  );
  // One pool / child process per source, shared: an agent only gets a narrower view of them.
  const agentSources = sources.filter((s) => entry.tools.includes(s.name));
  const agent = createAgent({
    planner,
    fallbackPlanner,
    generator: generator.model,
    tools: agentSources,
    limits: entry.limits,
    contextWindow: generator.contextWindow,
    tokenCounter: generator.tokenCounter,
    privacy,
    mapReduce: { parallel: generator.parallel },
    answer: entry.answer,
    latency: { prefill: generator.prefill },
  });
  const local: ProbedModel[] = [{ name: `generator:${modelLabel(generator.model)}`, model: generator.model }];
  if (localModel && localModel !== generator.model)
    local.push({ name: `planner:${modelLabel(localModel)}`, model: localModel });
  return {
    agent,
    local,
    generator: generator.model,
    description: entry.description,
    described: {
      planner: planner.name,
      generator: modelLabel(generator.model),
      tools: agentSources.map((s) => s.name),
    },
  };
}

/** Each local model once, though several agents share it. */
function localModelsOf(built: BuiltAgent[]): ProbedModel[] {
  const seen = new Set<LanguageModel>();
  return built.flatMap((b) => b.local).filter((m) => !seen.has(m.model) && seen.add(m.model));
}

function isV3(model: LanguageModel): model is LanguageModelV3 {
  return typeof model === "object" && model.specificationVersion === "v3";
}

/** `provider/modelId` of a model, for humans. */
function modelLabel(model: LanguageModel): string {
  return typeof model === "string" ? model : `${model.provider}/${model.modelId}`;
}
