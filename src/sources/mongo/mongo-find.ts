import { argError, checkField, type FilterRules, sanitizeFilter } from "./mongo-filter.js";

export interface MongoFindArgs {
  filter?: Record<string, unknown>;
  /** Fields to return; all when omitted. */
  fields?: string[];
  sort?: { field: string; direction?: "asc" | "desc" }[];
  limit?: number;
  skip?: number;
}

export interface MongoFindPlan {
  filter: Record<string, unknown>;
  options: {
    projection?: Record<string, 1>;
    sort?: Record<string, 1 | -1>;
    limit: number;
    skip?: number;
    maxTimeMS: number;
  };
  /** Documents to return (one more is fetched to detect truncation). */
  limit: number;
}

/** Pure: turns planner arguments into a safe `find` call, limits and `maxTimeMS` always set. */
export function buildFind(
  args: MongoFindArgs,
  rules: FilterRules & { maxDocs: number; maxTimeMS: number },
): MongoFindPlan {
  const filter = sanitizeFilter(args.filter ?? {}, rules);
  const limit = args.limit ?? rules.maxDocs;
  if (!Number.isInteger(limit) || limit < 1 || limit > rules.maxDocs)
    throw argError(`limit must be an integer from 1 to ${rules.maxDocs}.`);
  const options: MongoFindPlan["options"] = { limit: limit + 1, maxTimeMS: rules.maxTimeMS };
  if (args.fields?.length)
    options.projection = Object.fromEntries(args.fields.map((f) => [checkField(f, rules), 1 as const]));
  if (args.sort?.length) {
    options.sort = {};
    for (const s of args.sort) {
      if (s.direction !== undefined && s.direction !== "asc" && s.direction !== "desc")
        throw argError('sort direction is "asc" or "desc".');
      options.sort[checkField(s.field, rules)] = s.direction === "desc" ? -1 : 1;
    }
  }
  if (args.skip !== undefined) {
    if (!Number.isInteger(args.skip) || args.skip < 0 || args.skip > 100_000)
      throw argError("skip must be an integer from 0 to 100000.");
    options.skip = args.skip;
  }
  return { filter, options, limit };
}

/** BSON values to JSON ones and nested documents to dotted keys, so rows render as tables. */
export function plainDocument(
  doc: Record<string, unknown>,
  prefix = "",
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const [key, value] of Object.entries(doc)) {
    const name = prefix + key;
    const v = plainBson(value);
    if (v && typeof v === "object" && !Array.isArray(v))
      plainDocument(v as Record<string, unknown>, `${name}.`, out);
    else out[name] = v;
  }
  return out;
}

function plainBson(value: unknown): unknown {
  if (value === null || typeof value !== "object")
    return typeof value === "bigint" ? value.toString() : value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plainBson);
  const bsontype = (value as { _bsontype?: string })._bsontype;
  if (bsontype === "ObjectId") return (value as { toHexString(): string }).toHexString();
  if (bsontype === "Binary") return `<binary>`;
  if (bsontype) {
    const json = (value as { toJSON?: () => unknown }).toJSON?.();
    return json !== undefined && typeof json !== "object" ? json : String(value);
  }
  // Documents inside arrays (e.g. a $lookup's matches) keep their shape; their values are converted.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainBson(v)]));
}
