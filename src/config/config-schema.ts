import { z } from "zod";
import { toolSourceSchema } from "../sources/registry.js";
import { NAME_PATTERN, positiveInt, sourceName as name } from "../sources/source-kind.js";

export { NAME_PATTERN, toolSourceSchema };
export type { ToolSourceConfig } from "../sources/registry.js";

const providers = ["openai", "anthropic", "google", "ollama", "openai-compatible", "llama"] as const;

/** `openai:gpt-4o`, `http://127.0.0.1:8000/v1#model`, `ollama:qwen2.5:3b`, or the object form. */
export const modelObjectSchema = z.strictObject({
  provider: z.enum(providers),
  model: z.string().min(1).optional(),
  baseURL: z.string().url().optional(),
  /** Prefer apiKeyEnv; a literal key is allowed (e.g. `${MY_KEY}`) and is redacted everywhere. */
  apiKey: z.string().optional(),
  apiKeyEnv: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** In-process GGUF (provider `llama`). */
  modelPath: z.string().optional(),
  /** In-process only: requests served at once (one context sequence each; more wait in a queue). */
  sequences: positiveInt.optional(),
  /** In-process only: CPU threads for llama.cpp. */
  threads: positiveInt.optional(),
  contextWindow: positiveInt.optional(),
  /** Declares a non-local generator host trusted to see tool results. */
  trusted: z.boolean().optional(),
  /** Planner only. */
  mode: z.enum(["json", "tool-calls"]).optional(),
  /** Planner only: `local` planners are exempt from the egress guard and count as local tokens. */
  location: z.enum(["cloud", "local"]).optional(),
  /** Planner only: plan with the local model when the cloud planner fails or times out (default true). */
  fallback: z.boolean().optional(),
});

export const modelSchema = z.union([z.string().min(1), modelObjectSchema]);

const privacySchema = z.strictObject({
  /** Extra sensitive columns, `source.table.column` (SQL sources also take `sensitive`). */
  sensitiveColumns: z.array(z.string()).optional(),
  /** Entity type → policy, e.g. `{ "US_SSN": "block", "DATE_TIME": "allow" }`. */
  entities: z.record(z.string(), z.enum(["pseudonymize", "block", "allow"])).optional(),
  defaultPolicy: z.enum(["pseudonymize", "block", "allow"]).optional(),
  /** Values that must never leave; any request containing one is blocked. */
  canaries: z.array(z.string()).optional(),
  /** Hosts (or host:port) trusted to receive tool results, e.g. a private generator endpoint. */
  trustedEndpoints: z.array(z.string()).optional(),
  /** Also detect person names without a data source (slower). */
  ner: z.boolean().optional(),
  enabled: z.boolean().optional(),
});

const auditSchema = z
  .strictObject({
    path: z.string().optional(),
    url: z.string().optional(),
    keyPath: z.string().optional(),
    /** Keep the pseudonymized request bodies (default: only their SHA-256). */
    storeBodies: z.boolean().optional(),
    /** Sign a checkpoint every N records and/or every T ms (default with keyPath: 100 records, 60 s). */
    checkpointEvery: z
      .strictObject({
        records: z.number().int().positive().optional(),
        ms: z.number().int().positive().optional(),
      })
      .optional(),
  })
  .refine((a) => Boolean(a.path) !== Boolean(a.url), {
    message: "exactly one of path (SQLite) or url (PostgreSQL)",
  });

const serverSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().optional(),
  maxBodyBytes: positiveInt.optional(),
  maxPromptChars: positiveInt.optional(),
  maxConcurrentRuns: positiveInt.optional(),
  requestTimeoutMs: positiveInt.optional(),
});

const userSchema = z.strictObject({
  token: z.string().min(8, "a token of at least 8 characters"),
  id: z.string().min(1),
  roles: z.array(z.string()).default([]),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

const limitsSchema = z.strictObject({
  maxSteps: positiveInt.optional(),
  maxRepairs: z.number().int().min(0).optional(),
  concurrency: positiveInt.optional(),
  stepTimeoutMs: positiveInt.optional(),
  plannerTimeoutMs: positiveInt.optional(),
  answerTimeoutMs: positiveInt.optional(),
  maxResultChars: positiveInt.optional(),
});

/**
 * One more agent over the same sources: whatever it leaves out comes from the top level. No
 * `privacy` here on purpose: the firewall (detectors, sensitive columns, canaries, egress guard,
 * audit) is shared by every agent, so no agent can be configured weaker than the others.
 */
export const agentEntrySchema = z.strictObject({
  /** Shown by GET /v1/models. */
  description: z.string().min(1).optional(),
  /** Names of top-level `tools` entries this agent may call (default: all of them). */
  tools: z.array(z.string().min(1)).optional(),
  planner: z.union([z.literal("local"), modelSchema]).optional(),
  generator: modelSchema.optional(),
  /** Merged key by key over the top-level `limits`. */
  limits: limitsSchema.optional(),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  /** The agent's name (the gateway's `model`). Default `flm`. */
  name: name.optional(),
  /** The top-level agent's description (GET /v1/models). */
  description: z.string().min(1).optional(),
  /** More agents by name (each a gateway `model`), sharing the tool sources and privacy settings. */
  agents: z.record(z.string(), agentEntrySchema).optional(),
  /** A model spec, or `"local"` to plan with the generator (nothing leaves the machine). */
  planner: z.union([z.literal("local"), modelSchema]).optional(),
  generator: modelSchema,
  tools: z.array(toolSourceSchema).default([]),
  privacy: privacySchema.optional(),
  audit: auditSchema.optional(),
  server: serverSchema.optional(),
  users: z.array(userSchema).optional(),
  limits: limitsSchema.optional(),
});

export type FlmConfigInput = z.input<typeof configSchema>;
export type FlmConfigData = z.output<typeof configSchema>;
export type ModelConfig = z.output<typeof modelSchema>;
export type ModelObjectConfig = z.output<typeof modelObjectSchema>;
export type AgentEntryConfig = z.output<typeof agentEntrySchema>;
export type LimitsConfig = z.output<typeof limitsSchema>;
