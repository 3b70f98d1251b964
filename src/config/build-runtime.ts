import type { LanguageModel } from "ai";
import { createEgressTap } from "../privacy/egress-tap.js";
import type { Agent } from "../core/agent.js";
import type { AgentLimits } from "../agent/agent-limits.js";
import { createAgent } from "../agent/create-agent.js";
import type { PrivacySession } from "../core/privacy-hooks.js";
import { resolveModel } from "../models/resolve-model.js";
import { createLocalPlanner } from "../plan/local-planner.js";
import { createModelPlanner } from "../plan/model-planner.js";
import type { Planner } from "../plan/planner.js";
import { type TokenCounter, tokenizerTokenCounter } from "../context/token-counter.js";
import type { LlamaLanguageModel } from "../models/llama/llama-language-model.js";
import { createPrivacy, type Privacy } from "../privacy/agent-privacy.js";
import type { AuditLog } from "../privacy/audit/audit-log.js";
import type { Caller } from "../tools/caller.js";
import type { ToolSource } from "../tools/tool-source.js";
import { resolveAgentConfigs } from "./agent-configs.js";
import { ConfigError } from "./config-error.js";
import type { ModelConfig, ModelObjectConfig, ToolSourceConfig } from "./config-schema.js";
import { configPath, type FlmConfig } from "./load-config.js";
import { isGgufSpec, isLocalHost, modelHost } from "./model-host.js";

export interface RuntimeUser {
  token: string;
  caller: Caller;
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
  privacy?: Privacy;
  /** Placeholders a conversation used (what stayed local), when privacy is on. */
  placeholders(session: PrivacySession | undefined): { placeholder: string; type: string }[];
  /** Where an agent's planner runs, for humans (`cloud:openai.chat/gpt-4o`); default: the chosen agent. */
  describe(name?: string): { planner: string; generator: string; tools: string[] };
  close(): Promise<void>;
}

export interface BuildRuntimeOptions {
  env?: Record<string, string | undefined>;
  /** The real fetch under guard and tap (tests). */
  fetch?: typeof fetch;
  /** The agent `runtime.agent` is (default: the top-level one). Unknown → `CONFIG_INVALID`. */
  agent?: string;
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
    const sources: ToolSource[] = [];
    const tools = withSensitiveColumns(config);
    for (const [i, tool] of tools.entries()) {
      assertToolHostTrusted(tool, i, config);
      const source = await buildSource(config, tool, i);
      sources.push(source);
      closers.push(() => source.close());
    }

    let audit: AuditLog | undefined;
    if (config.audit) {
      const { openAuditLog } = await import("../privacy/audit/open-audit-log.js");
      audit = await openAuditLog(
        config.audit.path
          ? { kind: "sqlite", path: configPath(config, config.audit.path) }
          : { kind: "postgres", url: config.audit.url! },
        {
          keyPath: config.audit.keyPath ? configPath(config, config.audit.keyPath) : undefined,
          storeBodies: config.audit.storeBodies,
          checkpointEvery: config.audit.keyPath
            ? (config.audit.checkpointEvery ?? { records: 100, ms: 60_000 })
            : undefined,
        },
      );
      const log = audit;
      closers.push(() => log.close());
    }

    const privacy =
      config.privacy?.enabled !== false
        ? createPrivacy({
            sources,
            policies: config.privacy?.entities,
            defaultPolicy: config.privacy?.defaultPolicy,
            canaries: config.privacy?.canaries,
            ner: config.privacy?.ner,
            audit,
          })
        : undefined;
    await privacy?.ready?.();

    const all = resolveAgentConfigs(config);
    const wanted = options.agent ?? all[0].name;
    if (options.agent !== undefined && !all.some((a) => a.name === options.agent)) {
      throw new ConfigError("CONFIG_INVALID", `No agent named "${options.agent}" in the configuration.`, {
        issues: [{ path: "agents", message: `no agent "${options.agent}"` }],
        hint: `Use one of: ${all.map((a) => a.name).join(", ")}.`,
      });
    }
    const chosen = options.only ? all.filter((a) => a.name === wanted) : all;
    const parts = createPartCache(config, env, options, privacy, closers);
    const agents: Record<string, Agent> = {};
    const descriptions: Record<string, string | undefined> = {};
    const described: Record<string, { planner: string; generator: string; tools: string[] }> = {};
    for (const entry of chosen) {
      const generator = await parts.generator(entry.generator, `${entry.at}generator`);
      const { planner, fallbackPlanner } = await parts.planner(
        entry.planner,
        `${entry.at}planner`,
        entry.generator,
        generator.model,
      );
      const limits: Partial<AgentLimits> = entry.limits;
      // One pool / child process per source, shared: an agent only gets a narrower view of them.
      const agentSources = sources.filter((s) => entry.tools.includes(s.name));
      agents[entry.name] = createAgent({
        planner,
        fallbackPlanner,
        generator: generator.model,
        tools: agentSources,
        limits,
        contextWindow: generator.contextWindow,
        tokenCounter: generator.tokenCounter,
        privacy,
        mapReduce: { parallel: generator.parallel },
      });
      descriptions[entry.name] = entry.description;
      described[entry.name] = {
        planner: planner.name,
        generator: `${(generator.model as { provider?: string }).provider ?? "model"}/${(generator.model as { modelId?: string }).modelId ?? "?"}`,
        tools: agentSources.map((s) => s.name),
      };
    }
    // Closing an agent closes its sources; the closers above already do that once for all.
    const agent = agents[wanted];
    return {
      agent,
      name: wanted,
      agents,
      descriptions,
      users: (config.users ?? []).map((u) => ({
        token: u.token,
        caller: { id: u.id, roles: u.roles, attributes: u.attributes },
      })),
      sources,
      audit,
      privacy,
      placeholders: (session) => (session && privacy ? privacy.placeholders(session) : []),
      describe: (name = wanted) => {
        const d = described[name];
        if (!d) throw new ConfigError("CONFIG_INVALID", `No agent named "${name}" in this runtime.`);
        return d;
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function isTrustedHost(host: string, config: FlmConfig): boolean {
  return (config.privacy?.trustedEndpoints ?? []).some(
    (t) => t === host || t.split(":")[0] === host.split(":")[0],
  );
}

/**
 * Data goes to the generator (and to a planner marked local, which is not guarded): it must run
 * in-process, on a local/private host, or be declared trusted.
 */
function assertModelHostTrusted(
  spec: ModelConfig,
  role: "generator" | "planner",
  config: FlmConfig,
  env: Record<string, string | undefined>,
  at: string = role,
): void {
  const host = modelHost(spec, env);
  if (host === undefined || isLocalHost(host.split(":")[0])) return;
  if (typeof spec === "object" && spec.trusted) return;
  if (isTrustedHost(host, config)) return;
  const why =
    role === "generator"
      ? "the generator sees the tool results (your data)"
      : 'a planner with location "local" is not behind the egress guard';
  throw new ConfigError("GENERATOR_UNTRUSTED", `${at}: ${host} is not a local or private host, and ${why}.`, {
    hint: 'Point it at a local model, or declare it with "trusted": true (or list the host in privacy.trustedEndpoints) if that endpoint may see your data.',
  });
}

/** Tool arguments can carry values from other steps: a tool on a remote host must be declared trusted. */
function assertToolHostTrusted(tool: ToolSourceConfig, index: number, config: FlmConfig): void {
  if (tool.kind !== "openapi" && tool.kind !== "mcp") return;
  if (tool.trusted) return;
  const urls =
    tool.kind === "mcp" ? [tool.url] : [tool.baseUrl, typeof tool.spec === "string" ? tool.spec : undefined];
  for (const url of urls) {
    if (!url || !/^https?:\/\//.test(url)) continue;
    const host = new URL(url).host;
    if (isLocalHost(new URL(url).hostname) || isTrustedHost(host, config)) continue;
    throw new ConfigError(
      "CONFIG_INVALID",
      `tools[${index}] (${tool.name}): ${host} is not a local or private host, and tool arguments can carry data from other steps.`,
      {
        issues: [{ path: `tools[${index}].trusted`, message: `declare the remote host ${host} trusted` }],
        hint: 'Add "trusted": true to this tool source (or list the host in privacy.trustedEndpoints) if that service may receive your data.',
      },
    );
  }
}

/** `privacy.sensitiveColumns` (`source.table.column`) joins the named SQL source's own `sensitive` list. */
function withSensitiveColumns(config: FlmConfig): ToolSourceConfig[] {
  const extra = config.privacy?.sensitiveColumns ?? [];
  const tools = config.tools.map((t) => ({ ...t })) as ToolSourceConfig[];
  for (const [i, entry] of extra.entries()) {
    const [sourceName, ...column] = entry.split(".");
    const tool = tools.find((t) => t.name === sourceName);
    if (tool?.kind !== "sql" || column.length !== 2) {
      throw new ConfigError(
        "CONFIG_INVALID",
        `privacy.sensitiveColumns[${i}]: expected "<sql source>.<table>.<column>", found "${entry}"`,
        {
          issues: [
            {
              path: `privacy.sensitiveColumns[${i}]`,
              message: "no SQL source by that name, or not source.table.column",
            },
          ],
        },
      );
    }
    tool.sensitive = [...(tool.sensitive ?? []), column.join(".")];
  }
  return tools;
}

async function buildModel(
  spec: ModelConfig,
  role: string,
  config: FlmConfig,
  env: Record<string, string | undefined>,
  fetch: typeof globalThis.fetch | undefined,
): Promise<LanguageModel> {
  if (typeof spec === "string" && isGgufSpec(spec))
    return llamaModel(configPath(config, spec.replace(/^llama:/, "")));
  if (typeof spec === "object" && spec.provider === "llama") {
    if (!spec.modelPath) {
      throw new ConfigError(
        "CONFIG_INVALID",
        `${role}.modelPath: missing (expected a path to a .gguf file)`,
        {
          issues: [{ path: `${role}.modelPath`, message: "missing (expected a path to a .gguf file)" }],
        },
      );
    }
    return llamaModel(configPath(config, spec.modelPath), {
      contextSize: spec.contextWindow,
      sequences: spec.sequences,
      threads: spec.threads,
    });
  }
  const object: ModelObjectConfig | undefined = typeof spec === "object" ? spec : undefined;
  let apiKey = object?.apiKey;
  if (object?.apiKeyEnv) {
    apiKey = env[object.apiKeyEnv];
    if (!apiKey) {
      throw new ConfigError(
        "CONFIG_ENV_MISSING",
        `${role}.apiKeyEnv: environment variable ${object.apiKeyEnv} is not set`,
        {
          issues: [
            { path: `${role}.apiKeyEnv`, message: `environment variable ${object.apiKeyEnv} is not set` },
          ],
          hint: `Export ${object.apiKeyEnv}.`,
        },
      );
    }
  }
  if (object && !object.model) {
    throw new ConfigError("CONFIG_INVALID", `${role}.model: missing (expected a model name)`, {
      issues: [{ path: `${role}.model`, message: "missing (expected a model name)" }],
    });
  }
  const resolved = object
    ? {
        provider: object.provider,
        model: object.model!,
        baseURL: object.baseURL,
        apiKey,
        headers: object.headers,
        contextWindow: object.contextWindow,
      }
    : spec;
  return resolveModel(resolved as string, { fetch, env });
}

async function llamaModel(
  modelPath: string,
  options: { contextSize?: number; sequences?: number; threads?: number } = {},
): Promise<LanguageModel> {
  // Loaded on demand: llama.cpp's bindings are heavy and most commands never need them.
  const { createLlamaModel } = await import("../models/llama/index.js");
  return createLlamaModel({ modelPath, ...options });
}

function isLlamaModel(model: LanguageModel): model is LlamaLanguageModel {
  return typeof model === "object" && typeof (model as LlamaLanguageModel).tokenizer === "function";
}

function localPlanner(generator: LanguageModel): Planner {
  return createLocalPlanner({ model: generator });
}

async function buildSource(config: FlmConfig, tool: ToolSourceConfig, index: number): Promise<ToolSource> {
  const at = `tools[${index}]`;
  const fail = (message: string) =>
    new ConfigError("CONFIG_INVALID", `${at}: ${message}`, { issues: [{ path: at, message }] });
  switch (tool.kind) {
    case "sql": {
      const { createSqlSource } = await import("../sources/sql/index.js");
      const { kind: _kind, ...rest } = tool;
      if (rest.driver === "sqlite" && !rest.path)
        throw fail('driver "sqlite" needs path (the database file)');
      if (rest.driver === "postgres" && !rest.url) throw fail('driver "postgres" needs url');
      return createSqlSource({
        ...rest,
        path: rest.path ? configPath(config, rest.path) : undefined,
      } as Parameters<typeof createSqlSource>[0]);
    }
    case "mcp": {
      const { createMcpSource } = await import("../sources/mcp/index.js");
      if (Boolean(tool.command) === Boolean(tool.url))
        throw fail("needs exactly one of command (stdio) or url (Streamable HTTP)");
      const transport = tool.command
        ? {
            kind: "stdio" as const,
            command: tool.command,
            args: tool.args,
            env: tool.env,
            cwd: tool.cwd ? configPath(config, tool.cwd) : undefined,
          }
        : { kind: "http" as const, url: tool.url!, headers: tool.headers };
      return createMcpSource({
        name: tool.name,
        transport,
        include: tool.include,
        exclude: tool.exclude,
        prefix: tool.prefix,
        timeoutMs: tool.timeoutMs,
      });
    }
    case "openapi": {
      const { createOpenApiSource } = await import("../sources/openapi/index.js");
      const spec =
        typeof tool.spec === "string" && !/^https?:/.test(tool.spec)
          ? configPath(config, tool.spec)
          : tool.spec;
      return createOpenApiSource({ ...tool, spec } as Parameters<typeof createOpenApiSource>[0]);
    }
    case "documents": {
      const { createDocumentSource, isPostgresUrl } = await import("../sources/documents/index.js");
      return createDocumentSource({
        name: tool.name,
        // A postgres:// URL is a database, not a path relative to the config file.
        index: isPostgresUrl(tool.index) ? tool.index : configPath(config, tool.index),
        folder: tool.folder ? configPath(config, tool.folder) : undefined,
        topK: tool.topK,
        toolName: tool.toolName,
        description: tool.description,
      });
    }
    case "mongo": {
      const { createMongoSource } = await import("../sources/mongo/index.js");
      const { kind: _kind, ...rest } = tool;
      return createMongoSource(rest as unknown as Parameters<typeof createMongoSource>[0]);
    }
  }
}

interface GeneratorParts {
  model: LanguageModel;
  contextWindow?: number;
  tokenCounter?: TokenCounter;
  /** Map-reduce chunks at once. */
  parallel: number;
}

interface PlannerParts {
  planner: Planner;
  fallbackPlanner?: Planner;
}

/**
 * Builds generators and planners for the agents, once per distinct spec: two agents with the same
 * generator share one model (one in-process llama.cpp context, not two). Every agent's planner is
 * built here, so each one gets the same trust checks and the same egress guard.
 */
function createPartCache(
  config: FlmConfig,
  env: Record<string, string | undefined>,
  options: BuildRuntimeOptions,
  privacy: Privacy | undefined,
  closers: Array<() => Promise<unknown>>,
) {
  const generators = new Map<string, Promise<GeneratorParts>>();
  const planners = new Map<string, Promise<PlannerParts>>();

  const buildGenerator = async (spec: ModelConfig, at: string): Promise<GeneratorParts> => {
    assertModelHostTrusted(spec, "generator", config, env, at);
    const model = await buildModel(spec, at, config, env, options.fetch);
    if (isLlamaModel(model)) closers.push(() => model.dispose());
    // The in-process model knows its window and tokenizer; other endpoints declare the window.
    const inProcess = isLlamaModel(model) ? model : undefined;
    const contextWindow =
      (typeof spec === "object" ? spec.contextWindow : undefined) ?? (await inProcess?.contextWindow());
    const tokenCounter = inProcess ? await tokenizerTokenCounter(inProcess) : undefined;
    // One in-process context serves one sequence at a time; servers take chunks in parallel.
    const parallel = inProcess ? (typeof spec === "object" ? (spec.sequences ?? 1) : 1) : 4;
    return { model, contextWindow, tokenCounter, parallel };
  };

  const buildPlanner = async (
    spec: "local" | ModelConfig,
    at: string,
    generator: LanguageModel,
  ): Promise<PlannerParts> => {
    if (spec === "local") return { planner: localPlanner(generator) };
    const location = typeof spec === "object" && spec.location === "local" ? "local" : "cloud";
    // The one door to the cloud: the guard (when privacy is on) inside the tap, for every agent.
    const fetch =
      location === "cloud"
        ? (privacy?.cloudFetch(options.fetch) ?? createEgressTap(options.fetch))
        : options.fetch;
    // A "local" planner gets no guard, so it must really be local (or declared trusted).
    if (location === "local") assertModelHostTrusted(spec, "planner", config, env, at);
    const model = await buildModel(spec, at, config, env, fetch);
    if (isLlamaModel(model)) closers.push(() => model.dispose());
    const planner = createModelPlanner({
      model,
      location,
      mode: typeof spec === "object" ? spec.mode : undefined,
    });
    // When the cloud is unreachable or slow, the local model plans (nothing leaves).
    const fallback = location === "cloud" && !(typeof spec === "object" && spec.fallback === false);
    return { planner, fallbackPlanner: fallback ? localPlanner(generator) : undefined };
  };

  return {
    generator(spec: ModelConfig, at: string): Promise<GeneratorParts> {
      const key = JSON.stringify(spec);
      let parts = generators.get(key);
      if (!parts) {
        parts = buildGenerator(spec, at);
        generators.set(key, parts);
      }
      return parts;
    },
    planner(
      spec: "local" | ModelConfig,
      at: string,
      generatorSpec: ModelConfig,
      generator: LanguageModel,
    ): Promise<PlannerParts> {
      // A local planner and the fallback plan with the agent's generator: part of the key.
      const key = JSON.stringify([spec, generatorSpec]);
      let parts = planners.get(key);
      if (!parts) {
        parts = buildPlanner(spec, at, generator);
        planners.set(key, parts);
      }
      return parts;
    },
  };
}
