import { z } from "zod";
import { resolveEntityPolicies } from "../privacy/entity-types.js";
import { toolSourceSchema } from "../sources/registry.js";
import { declaredEntityTypes } from "./declared-entity-types.js";
import { NAME_PATTERN, positiveInt, sourceName as name } from "../sources/source-kind.js";

export { NAME_PATTERN, toolSourceSchema };
export type { ToolSourceConfig } from "../sources/registry.js";

const providers = ["openai", "anthropic", "google", "ollama", "openai-compatible", "llama"] as const;

/** `openai:gpt-4o`, `http://127.0.0.1:8000/v1#model`, `ollama:qwen2.5:3b`, or the object form. */
export const modelObjectSchema = z.strictObject({
  provider: z
    .enum(providers)
    .describe("Who serves the model; `llama` is in-process llama.cpp (a GGUF file)."),
  model: z.string().min(1).optional().describe("The provider's model id, e.g. `gpt-4o-mini`, `qwen2.5:3b`."),
  baseURL: z
    .string()
    .url()
    .optional()
    .describe("Endpoint of the provider or an OpenAI-compatible server (vLLM, llama.cpp server, LM Studio)."),
  apiKey: z
    .string()
    .optional()
    .describe("A literal API key (e.g. `${MY_KEY}`), redacted everywhere; prefer `apiKeyEnv`."),
  apiKeyEnv: z
    .string()
    .optional()
    .describe("Environment variable holding the API key (default: the provider's, e.g. `OPENAI_API_KEY`)."),
  headers: z.record(z.string(), z.string()).optional().describe("Extra HTTP headers on every request."),
  modelPath: z.string().optional().describe("In-process only: the GGUF file (relative to the config file)."),
  sequences: positiveInt.optional().meta({
    description:
      "In-process only: requests served at once (one context sequence each; more wait in a queue).",
    default: 1,
  }),
  threads: positiveInt.optional().describe("In-process only: CPU threads for llama.cpp."),
  contextWindow: positiveInt
    .optional()
    .describe("The model's context window in tokens (in-process: read from the GGUF when absent)."),
  trusted: z
    .boolean()
    .optional()
    .describe("Declares a non-local host trusted to see tool results (a generator or local planner)."),
  mode: z.enum(["compact", "json", "tool-calls"]).optional().meta({
    description:
      "Planner only: `compact` plan lines (`s2 = tool(id=s1.rows[0].id)`, fewest tokens), a JSON plan (both with dependent steps), or the provider's native tool calls (independent steps only).",
    default: "compact",
  }),
  toolDetail: z.enum(["signatures", "schemas"]).optional().meta({
    description:
      "Planner only (compact and JSON mode): tools as short signatures with argument descriptions, or as full JSON Schemas. Arguments are checked against the full schemas locally either way.",
    default: "signatures",
  }),
  prefill: z
    .boolean()
    .optional()
    .describe(
      "Generator only: let the model read its answer prompt ahead, while the cloud plans and the tools run (in-process: without generating; a server: one-token warm-up requests that its prefix cache keeps). Default: on for in-process, `ollama` and `openai-compatible` (local servers), off for cloud providers.",
    ),
  location: z
    .enum(["cloud", "local"])
    .optional()
    .describe(
      "Planner only: `local` planners get no egress guard (so must pass the trusted-host check) and count as local tokens.",
    ),
  fallback: z.boolean().optional().meta({
    description: "Planner only: plan with the local model when the cloud planner fails or times out.",
    default: true,
  }),
});

export const modelSchema = z.union([z.string().min(1), modelObjectSchema]);

const policy = z.enum(["pseudonymize", "block", "allow"]);

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration: milliseconds, or a number with a unit (`"90s"`, `"30m"`, `"24h"`, `"7d"`). */
const duration = z.union([
  positiveInt,
  z
    .string()
    .regex(/^\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)$/, 'a duration: milliseconds, or e.g. "90s", "30m", "24h", "7d"')
    .transform((v) => Math.round(Number.parseFloat(v) * UNIT_MS[/(ms|s|m|h|d)$/.exec(v)![1]!]!)),
]);

const privacySchema = z.strictObject({
  sensitiveColumns: z
    .array(z.string())
    .optional()
    .describe(
      "Extra sensitive columns, `<sql source>.<table>.<column>`, indexed like a source's own `sensitive`.",
    ),
  entities: z
    .record(z.string(), policy)
    .optional()
    .describe(
      'Entity type → policy, e.g. `{ "US_SSN": "block", "DATE_TIME": "allow" }`. Types: flm\'s own (PERSON, EMAIL, PHONE, CREDIT_CARD, IBAN, US_SSN, …), Presidio\'s names for them (EMAIL_ADDRESS, PHONE_NUMBER, IBAN_CODE, …) in any case, or a type a source declares for a sensitive column; any other name is an error with the closest names (a typo would otherwise apply `defaultPolicy`). See docs/concepts/privacy.md#entity-types.',
    ),
  defaultPolicy: policy
    .optional()
    .meta({ description: "Policy for entity types not listed in `entities`.", default: "pseudonymize" }),
  canaries: z
    .array(z.string())
    .optional()
    .describe("Values that must never leave: any request containing one is blocked."),
  trustedEndpoints: z
    .array(z.string())
    .optional()
    .describe("Hosts (or host:port) trusted to receive tool results, e.g. a private generator endpoint."),
  ner: z
    .boolean()
    .optional()
    .describe("Also detect names, places and organisations not in your data (slower)."),
  answerTaintTtl: duration.optional().meta({
    description:
      'How long values flm gave a user (tool results, answers) stay tainted for that user: quoted back in a later prompt within this window they are pseudonymized, never sent. Milliseconds, or "90s", "30m", "24h", "7d".',
    default: "24h",
  }),
  refreshIntervalMs: z.number().int().min(0).optional().meta({
    description:
      "How often the index of sensitive values is refreshed from the sources (only what changed, where the database can tell). 0: no timer (SIGHUP, `flm index refresh` and the admin endpoint still refresh).",
    default: 60_000,
  }),
  mode: z.enum(["standard", "strict"]).optional().meta({
    description:
      "`standard`: detected values become placeholders, the rest goes out. `strict`: allow-list pseudonymization, only common words, the tools' words, `allowTerms` and plain quantities go out as they are.",
    default: "standard",
  }),
  allowTerms: z
    .array(z.string().min(1))
    .optional()
    .describe("Strict mode: words and phrases that may always go out as they are (product names, places)."),
  localModelReview: z.boolean().optional().meta({
    description:
      "The local generator also lists the private spans of each prompt under a JSON Schema (one local call per turn).",
    default: false,
  }),
  enabled: z.boolean().optional().meta({
    description: "`false` turns the privacy firewall off (no pseudonymization, no egress guard).",
    default: true,
  }),
});

const auditSchema = z
  .strictObject({
    path: z.string().optional().describe("SQLite audit store (a file, relative to the config file)."),
    url: z.string().optional().describe("PostgreSQL audit store (`postgres://…`), for several instances."),
    keyPath: z
      .string()
      .optional()
      .describe("Ed25519 private key (PEM) that signs checkpoints; keep it outside the database."),
    storeBodies: z.boolean().optional().meta({
      description: "Keep the pseudonymized request bodies (otherwise only their SHA-256).",
      default: false,
    }),
    checkpointEvery: z
      .strictObject({
        records: z.number().int().positive().optional().describe("Sign after this many records."),
        ms: z.number().int().positive().optional().describe("Sign after this many milliseconds."),
      })
      .optional()
      .meta({
        description: "With `keyPath`: sign a checkpoint every N records and/or every T ms (and on close).",
        default: { records: 100, ms: 60_000 },
      }),
    schema: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "letters, digits and underscores")
      .optional()
      .describe("PostgreSQL schema holding the audit tables (default flm_audit)."),
    origin: z
      .string()
      .regex(/^[^\s+]+$/u, "a name without spaces or '+', e.g. example.com/flm-audit")
      .optional()
      .describe(
        "The log's identity in its C2SP checkpoints (origin line and key name); default flm-audit/<16 hex of the key>. Witnesses and auditors know the log by it.",
      ),
    replicaId: z
      .string()
      .min(1)
      .optional()
      .describe("This process's id in the records and checkpoints it writes (default <hostname>/<pid>)."),
    witnesses: z
      .array(
        z.strictObject({
          url: z
            .url({ protocol: /^https?$/, error: "an http(s) URL" })
            .describe("The witness's URL (the prefix of its /add-checkpoint)."),
          key: z
            .string()
            // The shape here; the key itself is checked when the log opens (AUDIT_KEY_INVALID).
            .regex(
              /^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}$/,
              "a C2SP verifier key <name>+<key ID>+<key> (flm witness keygen prints it)",
            )
            .describe("The witness's cosignature verifier key."),
        }),
      )
      .optional()
      .describe(
        "Witnesses (C2SP tlog-witness) that co-sign each checkpoint, contacted in the background; needs keyPath.",
      ),
  })
  .describe(
    "The tamper-evident log of every cloud request: exactly one of `path` (SQLite) or `url` (PostgreSQL).",
  )
  .refine((a) => Boolean(a.path) !== Boolean(a.url), {
    message: "exactly one of path (SQLite) or url (PostgreSQL)",
  })
  .refine((a) => !a.witnesses?.length || Boolean(a.keyPath), {
    message: "witnesses need keyPath (the key that signs the checkpoints they co-sign)",
    path: ["witnesses"],
  });

const stateSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "a postgres:// connection URL")
      .describe(
        "PostgreSQL shared by every gateway replica (`postgres://user:pass@host/db`, e.g. `${FLM_STATE_URL}`): answer taint, conversation placeholders and per-user limits hold across replicas.",
      ),
    schema: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "letters, digits and underscores, starting with a letter or _")
      .optional()
      .meta({
        description: "Schema holding the shared tables (created if missing, migrated on start).",
        default: "flm_state",
      }),
    poolSize: positiveInt
      .optional()
      .meta({ description: "Most connections one replica opens to the state database.", default: 8 }),
    conversationTtl: duration.optional().meta({
      description:
        'How long a conversation\'s placeholders are kept after its last turn. Milliseconds, or "90s", "30m", "24h", "7d".',
      default: "24h",
    }),
  })
  .describe(
    "Shared state for several `flm serve` replicas behind a load balancer. Without it, state stays in the process (one replica).",
  );

const tracesSchema = z
  .strictObject({
    path: z
      .string()
      .optional()
      .describe(
        "SQLite trace store (a file, relative to the config file; `:memory:` keeps traces until restart). Default: `flm-traces.sqlite` beside the audit log, else `.flm/traces.sqlite` beside the config.",
      ),
    url: z
      .string()
      .optional()
      .describe(
        "PostgreSQL trace store (`postgres://…`), shared by several gateway replicas. Default: `audit.url` when the audit log is in PostgreSQL.",
      ),
    schema: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "letters, digits and underscores")
      .optional()
      .meta({ description: "PostgreSQL schema holding the `runs` table.", default: "flm_traces" }),
    retentionDays: z
      .number()
      .positive()
      .optional()
      .meta({ description: "Runs older than this are deleted (in SQL).", default: 30 }),
    maxTraceBytes: z.number().int().min(4096).optional().meta({
      description:
        "A run's record larger than this is cut to fit: long texts (egress bodies, prompts, the answer) end with a marker; sizes and hashes stay.",
      default: 262_144,
    }),
    maxStoreBytes: z.number().int().min(65_536).optional().meta({
      description: "The oldest runs are deleted while the store's records add up to more than this.",
      default: 268_435_456,
    }),
  })
  .describe(
    "Where `flm serve` keeps each run (plan, steps, timings, the bytes sent, the prompt as typed and the answer) for `GET /v1/traces/:id` and the console.",
  )
  .refine((t) => !(t.path && t.url), { message: "at most one of path (SQLite) or url (PostgreSQL)" });

const consoleSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .meta({ description: "Serve the operator console at `/console`.", default: true }),
    role: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "The role a user needs to sign in to the console.", default: "admin" }),
    sessionTtlMinutes: positiveInt
      .optional()
      .meta({ description: "A console session ends this long after sign-in.", default: 480 }),
    secureCookies: z
      .union([z.boolean(), z.literal("auto")])
      .optional()
      .meta({
        description:
          "Mark the session cookie `Secure`: `auto` when the request came over https (or `X-Forwarded-Proto: https`).",
        default: "auto",
      }),
  })
  .describe("The operator console (`flm serve` → `/console`), for users with the admin role.");

const serverSchema = z
  .strictObject({
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .meta({ description: "Port (0: any free one).", default: 8787 }),
    host: z.string().optional().meta({ description: "Interface to listen on.", default: "127.0.0.1" }),
    maxBodyBytes: positiveInt
      .optional()
      .meta({ description: "Larger request bodies get 413.", default: 1_000_000 }),
    maxPromptChars: positiveInt.optional().meta({
      description: "Longer prompts (the last user turn) get 400 `prompt_too_long`.",
      default: 20_000,
    }),
    maxConcurrentRuns: positiveInt
      .optional()
      .meta({ description: "Runs at once across all users; more get 429 with `retry-after`.", default: 64 }),
    requestTimeoutMs: positiveInt.optional().meta({
      description: "A run still going after this is cancelled (504, or an error chunk).",
      default: 300_000,
    }),
    headersTimeoutMs: positiveInt.optional().meta({
      description:
        "A client must send the request line and headers within this, else 408 and the connection is closed (slowloris).",
      default: 10_000,
    }),
    receiveTimeoutMs: positiveInt.optional().meta({
      description:
        "A client must send the whole request, headers and body, within this, else 408 and close (at least `headersTimeoutMs`).",
      default: 30_000,
    }),
    keepAliveTimeoutMs: positiveInt.optional().meta({
      description:
        "An idle keep-alive connection is closed after this; behind a load balancer, make it longer than the balancer's idle timeout.",
      default: 5_000,
    }),
    drainTimeoutMs: positiveInt.optional().meta({
      description: "On SIGTERM, how long running requests may finish before they are aborted (503).",
      default: 10_000,
    }),
    drainDelayMs: z.number().int().min(0).optional().meta({
      description:
        "On SIGTERM, how long the gateway keeps answering 503 (`/healthz` draining, new chat requests refused) before it stops listening, so a load balancer takes it out of rotation first; set it to your balancer's health-check interval (e.g. 5000) behind one.",
      default: 0,
    }),
  })
  .describe("The gateway (`flm serve`).");

const telemetrySchema = z
  .strictObject({
    otlpEndpoint: z
      .url()
      .optional()
      .describe(
        "OTLP/HTTP collector (`http://otel-collector:4318`; `/v1/traces` is appended unless given): each run is exported as OpenTelemetry spans (GenAI conventions). Unset: no tracing SDK is loaded.",
      ),
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe('Headers for the exporter, e.g. `{ authorization: "Bearer ${OTEL_TOKEN}" }`.'),
    serviceName: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "The spans' `service.name`.", default: "flm" }),
    recordContent: z.enum(["none", "pseudonymized"]).optional().meta({
      description:
        "`none`: spans carry ids, names, timings, tokens and codes only. `pseudonymized`: also what the cloud saw (the planner requests' messages, the plan's arguments with placeholders); never tool results or answers.",
      default: "none",
    }),
  })
  .describe("OpenTelemetry export of runs (`flm serve`, `flm ask`, `flm chat`).");

const userSchema = z
  .strictObject({
    token: z
      .string()
      .min(8, "a token of at least 8 characters")
      .describe(
        "The bearer token (at least 8 characters, unique); put it in the environment: `${FLM_TOKEN_ALICE}`.",
      ),
    id: z.string().min(1).describe("The caller's id, bound into tool calls (`:user.id`) and the audit log."),
    roles: z.array(z.string()).default([]).describe("The caller's roles (`:user.roles`)."),
    attributes: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe("Extra claims sources may bind, e.g. `:user.tenant`."),
    limits: z
      .strictObject({
        requestsPerMinute: positiveInt
          .optional()
          .describe("Chat requests accepted in any 60 s; more get 429 with `retry-after`."),
        runsInFlight: positiveInt
          .optional()
          .describe("Runs executing at once for this user, on all replicas together."),
        cloudTokensPerDay: positiveInt
          .optional()
          .describe("Cloud planner tokens per UTC day; once used up, new runs get 429 until midnight UTC."),
      })
      .optional()
      .describe(
        "Per-user limits, counted in `state.url` (PostgreSQL) so they hold across replicas, else in the process.",
      ),
  })
  .describe("A gateway user: a bearer token and the identity it stands for.");

/** Defaults as the agent applies them (agent/agent-limits.ts; a docs test keeps the two equal). */
const limitsSchema = z
  .strictObject({
    maxSteps: positiveInt.optional().meta({ description: "Most steps a plan may have.", default: 20 }),
    maxRepairs: z.number().int().min(0).optional().meta({
      description: "Repair rounds after an invalid plan before `PLAN_INVALID`.",
      default: 2,
    }),
    concurrency: positiveInt.optional().meta({ description: "Tool calls in flight at once.", default: 8 }),
    stepTimeoutMs: positiveInt.optional().meta({
      description:
        "Most time one tool call may take; a source's own `timeoutMs` can only shorten it (`STEP_TIMEOUT`).",
      default: 30_000,
    }),
    plannerTimeoutMs: positiveInt.optional().meta({
      description: "One planner call (`PLANNER_TIMEOUT`).",
      default: 60_000,
    }),
    answerTimeoutMs: positiveInt.optional().meta({
      description: "The local answer (`GENERATOR_FAILED`).",
      default: 120_000,
    }),
    maxResultChars: positiveInt.optional().meta({
      description: "Longer tool results (JSON characters) are cut with a visible marker.",
      default: 50_000,
    }),
    maxHistoryTurns: z.number().int().min(0).optional().meta({
      description:
        "Earlier turns of a conversation a run takes along, the most recent ones; older ones are dropped.",
      default: 40,
    }),
    maxHistoryChars: z.number().int().min(0).optional().meta({
      description:
        "Characters of those earlier turns, in all; each turn is cut at 2,000 characters for the planner.",
      default: 16_000,
    }),
  })
  .describe("Agent limits.");

const answerSchema = z
  .strictObject({
    onUngrounded: z.enum(["flag", "retry", "refuse"]).optional().meta({
      description:
        "When the local model's answer states a number, date, amount, name, identifier or citation that neither the context nor the prompt supports: `flag` (report it in `result.grounding`, the trace and the console), `retry` (ask the local model once more, naming the spans), `refuse` (replace the answer with a clear message). With `retry`/`refuse` the answer streams once checked. Local; nothing is sent to the cloud.",
      default: "flag",
    }),
  })
  .describe("The answer's grounding check (see docs/guides/eval.md#grounded-answers).");

/**
 * One more agent over the same sources: whatever it leaves out comes from the top level. No
 * `privacy` here on purpose: the firewall (detectors, sensitive columns, canaries, egress guard,
 * audit) is shared by every agent, so no agent can be configured weaker than the others.
 */
export const agentEntrySchema = z.strictObject({
  description: z.string().min(1).optional().describe("Shown by `GET /v1/models`."),
  tools: z
    .array(z.string().min(1))
    .optional()
    .describe("Names of top-level `tools` entries this agent may call (default: all of them)."),
  planner: z
    .union([z.literal("local"), modelSchema])
    .optional()
    .describe("This agent's planner (default: the top level's)."),
  generator: modelSchema.optional().describe("This agent's generator (default: the top level's)."),
  limits: limitsSchema.optional().describe("Merged key by key over the top-level `limits`."),
  answer: answerSchema.optional().describe("Merged key by key over the top-level `answer`."),
});

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe("JSON Schema for editor completion; ignored by flm."),
    name: name
      .optional()
      .meta({ description: "The top-level agent's name (the gateway's `model`).", default: "flm" }),
    description: z
      .string()
      .min(1)
      .optional()
      .describe("The top-level agent's description (`GET /v1/models`)."),
    agents: z
      .record(z.string(), agentEntrySchema)
      .optional()
      .describe("More agents by name (each a gateway `model`), sharing the tool sources, privacy and audit."),
    planner: z
      .union([z.literal("local"), modelSchema])
      .optional()
      .meta({
        description:
          'A model spec (`openai:gpt-4o`, `http://host:8000/v1#model`, the object form), or `"local"`: plan with the generator, nothing leaves.',
        default: "local",
      }),
    generator: modelSchema.describe(
      "The local model that reads tool results and writes the answer: a spec, a `.gguf` path or the object form. It sees your data: local, private or `trusted` only.",
    ),
    tools: z.array(toolSourceSchema).default([]).describe("Tool sources, by `kind`."),
    privacy: privacySchema.optional().describe("The privacy firewall, shared by every agent."),
    audit: auditSchema.optional(),
    state: stateSchema.optional(),

    traces: tracesSchema.optional(),
    console: consoleSchema.optional(),
    server: serverSchema.optional(),
    telemetry: telemetrySchema.optional(),
    users: z.array(userSchema).optional().describe("Gateway users (`flm serve` needs at least one)."),
    limits: limitsSchema.optional(),
    answer: answerSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const entities = config.privacy?.entities;
    if (!entities) return;
    for (const issue of resolveEntityPolicies(entities, declaredEntityTypes(config)).issues)
      ctx.addIssue({
        code: "custom",
        path: ["privacy", "entities", issue.key],
        message: `${issue.message}. ${issue.hint}`,
      });
  });

export type FlmConfigInput = z.input<typeof configSchema>;
export type FlmConfigData = z.output<typeof configSchema>;
export type ModelConfig = z.output<typeof modelSchema>;
export type ModelObjectConfig = z.output<typeof modelObjectSchema>;
export type AgentEntryConfig = z.output<typeof agentEntrySchema>;
export type LimitsConfig = z.output<typeof limitsSchema>;
export type AnswerConfig = z.output<typeof answerSchema>;
export type TelemetryConfig = z.output<typeof telemetrySchema>;
