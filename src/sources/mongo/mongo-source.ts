import type { Document, MongoClient } from "mongodb";
import { loadMongodb } from "../../core/load-optional.js";
import { FlmError } from "../../errors/flm-error.js";
import { defineTool } from "../../tools/define-tool.js";
import type { JSONSchema7 } from "../../tools/json-schema.js";
import type { Tool, ToolRunContext } from "../../tools/tool.js";
import type { SensitiveChanges, SensitiveValue, ToolSource } from "../../tools/tool-source.js";
import { mongoError, queryFailure } from "./mongo-error.js";
import { mongoSensitiveChanges, type SensitiveField } from "./mongo-sensitive.js";
import {
  bindFilter,
  bindPipeline,
  identityMatch,
  identityProblem,
  type MongoIdentityBinding,
} from "./mongo-identity.js";
import { buildFind, type MongoFindArgs, plainDocument } from "./mongo-find.js";
import { FILTER_OPERATORS, isPlainObject } from "./mongo-filter.js";
import { PIPELINE_STAGES, sanitizePipeline } from "./mongo-pipeline.js";

export interface MongoCollectionConfig {
  name: string;
  /** What a document is; shown to the planner. */
  description: string;
  /** Field paths the planner may use (and sees listed). Without it, any plain field name is accepted. */
  fields?: (string | { name: string; description?: string })[];
  /** JSON Schema shown to the planner for `filter` (the run-time allow-list applies regardless). */
  filterSchema?: JSONSchema7;
  /** Fields whose values feed the privacy index: `"email"` or `{ field: "email", type: "EMAIL" }`. */
  sensitive?: (string | { field: string; type: string })[];
  /** Row-level identity: tools only read documents whose `field` equals the caller's id (or attribute). */
  identity?: MongoIdentityBinding;
}

export interface MongoSourceConfig {
  name: string;
  url: string;
  database: string;
  collections: MongoCollectionConfig[];
  /** Server-side time limit per query; default 5000. */
  maxTimeMS?: number;
  /** Documents per call at most; default 100. */
  maxDocs?: number;
  /** How long to wait for a server on connect; default 5000. */
  serverSelectionTimeoutMS?: number;
}

export interface MongoResult {
  rows: Record<string, unknown>[];
  rowCount: number;
  truncated: boolean;
}

export interface MongoSource extends ToolSource {
  sensitiveValues(): AsyncIterable<SensitiveValue>;
  sensitiveChanges(since?: string): SensitiveChanges;
  check(): Promise<{ ok: boolean; detail: string }>;
}

const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,57}$/;

/**
 * `find_<collection>` and `aggregate_<collection>` tools over declared collections. Filters and
 * pipelines pass an allow-list (see mongo-filter.ts / mongo-pipeline.ts); `limit` and `maxTimeMS`
 * are always set. Connects lazily on the first call.
 */
export function createMongoSource(config: MongoSourceConfig): MongoSource {
  validate(config);
  const maxDocs = config.maxDocs ?? 100;
  const maxTimeMS = config.maxTimeMS ?? 5_000;
  const collections = config.collections.map((c) => c.name);
  const collectionFields = Object.fromEntries(
    config.collections.map((c) => [c.name, c.fields?.map((f) => (typeof f === "string" ? f : f.name))]),
  );
  const identities = new Map(
    config.collections.flatMap((c) => (c.identity ? [[c.name, c.identity] as const] : [])),
  );
  const sensitiveFields: SensitiveField[] = config.collections.flatMap((coll) =>
    (coll.sensitive ?? []).map((entry) => {
      const { field, type } = typeof entry === "string" ? { field: entry, type: entry.toUpperCase() } : entry;
      return { collection: coll.name, field, type, origin: `${config.name}.${coll.name}.${field}` };
    }),
  );
  let client: Promise<MongoClient> | undefined;
  let closed = false;

  const db = async () => {
    if (closed) throw mongoError("MONGO_CONFIG_INVALID", `MongoDB source "${config.name}" is closed.`);
    client ??= loadMongodb()
      .then(({ MongoClient: Client }) =>
        new Client(config.url, {
          serverSelectionTimeoutMS: config.serverSelectionTimeoutMS ?? 5_000,
        }).connect(),
      )
      .catch((cause) => {
        client = undefined;
        if (FlmError.isInstance(cause)) throw cause; // DEPENDENCY_MISSING says what to install
        throw mongoError(
          "MONGO_CONNECTION_FAILED",
          `Cannot connect to MongoDB for source "${config.name}".`,
          {
            cause,
            hint: "Check the url and that the server runs.",
          },
        );
      });
    return (await client).db(config.database);
  };
  const run = async (
    ctx: ToolRunContext,
    body: () => Promise<Document[]>,
    limit: number,
  ): Promise<MongoResult> => {
    if (ctx.signal.aborted)
      throw mongoError("MONGO_ABORTED", "The run was cancelled before the query started.");
    let docs: Document[];
    try {
      docs = await body();
    } catch (cause) {
      throw queryFailure(cause, { source: config.name, maxTimeMS, aborted: ctx.signal.aborted });
    }
    const rows = docs.slice(0, limit).map((d) => plainDocument(d));
    return { rows, rowCount: rows.length, truncated: docs.length > limit };
  };

  const tools: Tool[] = config.collections.flatMap((coll) => {
    const fields = coll.fields?.map((f) => (typeof f === "string" ? f : f.name));
    const rules = { fields, maxDocs, maxTimeMS, collections, collectionFields };
    const fieldList = coll.fields
      ? ` Fields: ${coll.fields.map((f) => (typeof f === "string" ? f : f.description ? `${f.name} (${f.description})` : f.name)).join(", ")}.`
      : "";
    // A declared field or a path below one (`address.city`), as the run-time check allows.
    const own = coll.identity ? " Only the caller's own documents are visible." : "";
    const field: JSONSchema7 = fields
      ? {
          type: "string",
          anyOf: [
            { enum: fields },
            {
              pattern: `^(${fields.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\.[A-Za-z0-9_.]+$`,
            },
          ],
        }
      : { type: "string" };
    const filter: JSONSchema7 = coll.filterSchema ?? {
      type: "object",
      description: `MongoDB query filter. Operators: ${FILTER_OPERATORS.join(" ")}. $regex text is matched literally (leading ^ anchors).`,
    };
    const safeName = coll.name.replace(/[^A-Za-z0-9_-]/g, "_");
    const findName = `find_${safeName}`.slice(0, 64);
    const aggregateName = `aggregate_${safeName}`.slice(0, 64);
    const find = defineTool<MongoFindArgs, MongoResult>({
      name: findName,
      description: `${coll.description.trim()} Finds documents in "${coll.name}".${fieldList}${own} At most ${maxDocs} documents.`,
      source: `mongo:${config.name}`,
      timeoutMs: maxTimeMS + 2_000,
      input: {
        type: "object",
        additionalProperties: false,
        properties: {
          filter,
          fields: { type: "array", items: field, uniqueItems: true },
          sort: {
            type: "array",
            maxItems: 5,
            items: {
              type: "object",
              additionalProperties: false,
              required: ["field"],
              properties: { field, direction: { type: "string", enum: ["asc", "desc"] } },
            },
          },
          limit: { type: "integer", minimum: 1, maximum: maxDocs },
          skip: { type: "integer", minimum: 0, maximum: 100_000 },
        },
      },
      run: async (args, ctx) => {
        const plan = buildFind(args, rules);
        const filter = coll.identity
          ? bindFilter(plan.filter, identityMatch(coll.identity, ctx.caller, findName))
          : plan.filter;
        return run(
          ctx,
          async () =>
            (await db())
              .collection(coll.name)
              .find(filter, { ...plan.options, signal: ctx.signal })
              .toArray(),
          plan.limit,
        );
      },
    });
    const aggregate = defineTool<{ pipeline: unknown[] }, MongoResult>({
      name: aggregateName,
      description: `${coll.description.trim()} Runs an aggregation pipeline on "${coll.name}".${fieldList}${own} Stages: ${PIPELINE_STAGES.join(" ")}; $lookup only from: ${collections.join(", ")}. At most ${maxDocs} results.`,
      source: `mongo:${config.name}`,
      timeoutMs: maxTimeMS + 2_000,
      input: {
        type: "object",
        additionalProperties: false,
        required: ["pipeline"],
        properties: { pipeline: { type: "array", maxItems: 20, items: { type: "object" } } },
      },
      run: async (args, ctx) => {
        const bound = (name: string) => {
          const binding = identities.get(name);
          return binding && identityMatch(binding, ctx.caller, aggregateName);
        };
        const pipeline = bindPipeline(sanitizePipeline(args.pipeline, rules), bound(coll.name), bound);
        return run(
          ctx,
          async () =>
            (await db())
              .collection(coll.name)
              .aggregate(pipeline, { maxTimeMS, signal: ctx.signal })
              .toArray(),
          maxDocs,
        );
      },
    });
    return [find, aggregate];
  });

  return {
    name: config.name,
    async tools() {
      return tools;
    },
    async *sensitiveValues() {
      yield* mongoSensitiveChanges(db, sensitiveFields, undefined, maxTimeMS * 10);
    },
    sensitiveChanges(since?: string) {
      return mongoSensitiveChanges(db, sensitiveFields, since, maxTimeMS * 10);
    },
    async check() {
      try {
        await (await db()).command({ ping: 1 });
        return { ok: true, detail: `mongodb ${config.database}: ${collections.length} collections` };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      const c = await client?.catch(() => undefined);
      await c?.close();
    },
  };
}

function validate(config: MongoSourceConfig): void {
  const fail = (message: string, hint?: string) => {
    throw mongoError("MONGO_CONFIG_INVALID", `MongoDB source "${config.name ?? "?"}": ${message}`, { hint });
  };
  if (!config.name?.trim()) fail("needs a name.");
  if (!/^mongodb(\+srv)?:\/\//.test(config.url ?? ""))
    fail("url must start with mongodb:// or mongodb+srv://.");
  if (!config.database) fail("needs a database.");
  if (!Array.isArray(config.collections) || config.collections.length === 0)
    fail("declare at least one collection.");
  for (const c of config.collections) {
    if (!COLLECTION_NAME.test(c.name ?? "")) fail(`collection name "${c.name}" is not a plain name.`);
    if (!c.description?.trim()) fail(`collection "${c.name}" needs a description (the planner reads it).`);
    if (c.filterSchema && !isPlainObject(c.filterSchema))
      fail(`collection "${c.name}": filterSchema must be a JSON Schema object.`);
    const identity = c.identity && identityProblem(c.identity);
    if (identity) fail(`collection "${c.name}": ${identity}`);
  }
  for (const [key, v] of [
    ["maxDocs", config.maxDocs],
    ["maxTimeMS", config.maxTimeMS],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) fail(`${key} must be a positive integer.`);
  }
}
