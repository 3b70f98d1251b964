import { mongoError } from "./mongo-error.js";
import {
  argError,
  checkField,
  type FilterRules,
  isPlainObject,
  literal,
  sanitizeFilter,
} from "./mongo-filter.js";

export interface PipelineRules extends FilterRules {
  /** Collections `$lookup` may join (the declared ones). */
  collections: readonly string[];
  /** Declared fields of each collection, where declared: a join never reveals more than them. */
  collectionFields?: Readonly<Record<string, readonly string[] | undefined>>;
  /** Cap on documents returned; a final `$limit` of `maxDocs + 1` is always appended. */
  maxDocs: number;
}

export const PIPELINE_STAGES = [
  "$match",
  "$project",
  "$group",
  "$sort",
  "$limit",
  "$skip",
  "$count",
  "$unwind",
  "$lookup",
] as const;
const ACCUMULATORS = new Set([
  "$sum",
  "$avg",
  "$min",
  "$max",
  "$first",
  "$last",
  "$push",
  "$addToSet",
  "$count",
]);
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_STAGES = 20;
const MAX_SKIP = 100_000;

/**
 * Returns a copy of `pipeline` made of allow-listed stages with plain field references only, with
 * `$limit` appended. Declared fields are enforced until the first reshaping stage (`$group`,
 * `$project`, `$count`), after which field names are the pipeline's own outputs.
 */
export function sanitizePipeline(pipeline: unknown, rules: PipelineRules): Record<string, unknown>[] {
  if (!Array.isArray(pipeline) || pipeline.length > MAX_STAGES)
    throw argError(`A pipeline is an array of at most ${MAX_STAGES} stages.`);
  let fields: readonly string[] | undefined = rules.fields;
  const out: Record<string, unknown>[] = [];
  for (const [i, stage] of pipeline.entries()) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw stageError(`Stage ${i} must be an object with exactly one stage operator.`);
    }
    const [name, body] = Object.entries(stage)[0];
    const r: FilterRules = { ...rules, fields };
    const field = (path: string) => checkField(path, r);
    const ref = (value: unknown, where: string) => fieldRef(value, where, r);
    switch (name) {
      case "$match":
        out.push({ $match: sanitizeFilter(body, r) });
        break;
      case "$project": {
        if (!isPlainObject(body) || Object.keys(body).length === 0)
          throw stageError("$project takes a non-empty object.");
        const spec: Record<string, unknown> = {};
        for (const [key, v] of Object.entries(body)) {
          if (v === 0 || v === 1 || typeof v === "boolean") spec[field(key)] = v;
          else if (typeof v === "string") spec[outputName(key, "$project")] = ref(v, `$project.${key}`);
          else throw stageError(`$project.${key} must be 0, 1, true, false or a "$field" reference.`);
        }
        out.push({ $project: spec });
        fields = undefined;
        break;
      }
      case "$group": {
        if (!isPlainObject(body) || !("_id" in body))
          throw stageError('$group needs an _id (null, a "$field", or { name: "$field" }).');
        const spec: Record<string, unknown> = {};
        for (const [key, v] of Object.entries(body)) {
          if (key === "_id") {
            if (v === null) spec._id = null;
            else if (typeof v === "string") spec._id = ref(v, "$group._id");
            else if (isPlainObject(v)) {
              spec._id = Object.fromEntries(
                Object.entries(v).map(([k, f]) => [outputName(k, "$group._id"), ref(f, `$group._id.${k}`)]),
              );
            } else throw stageError('$group._id must be null, a "$field" or { name: "$field" }.');
            continue;
          }
          if (!isPlainObject(v) || Object.keys(v).length !== 1)
            throw stageError(`$group.${key} must be { $accumulator: "$field" }.`);
          const [acc, arg] = Object.entries(v)[0];
          if (!ACCUMULATORS.has(acc)) {
            throw mongoError("MONGO_OPERATOR_REFUSED", `Accumulator "${acc}" is not allowed.`, {
              hint: `Allowed: ${[...ACCUMULATORS].join(" ")}.`,
            });
          }
          let value: unknown;
          if (acc === "$count") {
            if (!isPlainObject(arg) || Object.keys(arg).length)
              throw stageError("$count in $group takes {}.");
            value = {};
          } else if (acc === "$sum" && typeof arg === "number" && Number.isFinite(arg)) value = arg;
          else value = ref(arg, `$group.${key}`);
          spec[outputName(key, "$group")] = { [acc]: value };
        }
        out.push({ $group: spec });
        fields = undefined;
        break;
      }
      case "$sort": {
        if (!isPlainObject(body) || Object.keys(body).length === 0 || Object.keys(body).length > 5)
          throw stageError("$sort takes 1 to 5 fields.");
        const spec: Record<string, 1 | -1> = {};
        for (const [key, v] of Object.entries(body)) {
          if (v !== 1 && v !== -1) throw stageError(`$sort.${key} must be 1 or -1.`);
          spec[field(key)] = v;
        }
        out.push({ $sort: spec });
        break;
      }
      case "$limit":
        if (!Number.isInteger(body) || (body as number) < 1)
          throw stageError("$limit takes a positive integer.");
        out.push({ $limit: Math.min(body as number, rules.maxDocs + 1) });
        break;
      case "$skip":
        if (!Number.isInteger(body) || (body as number) < 0 || (body as number) > MAX_SKIP)
          throw stageError(`$skip takes an integer from 0 to ${MAX_SKIP}.`);
        out.push({ $skip: body });
        break;
      case "$count":
        out.push({ $count: outputName(body, "$count") });
        fields = undefined;
        break;
      case "$unwind": {
        if (typeof body === "string") out.push({ $unwind: ref(body, "$unwind") });
        else if (
          isPlainObject(body) &&
          Object.keys(body).every((k) => k === "path" || k === "preserveNullAndEmptyArrays")
        ) {
          const spec: Record<string, unknown> = { path: ref(body.path, "$unwind.path") };
          if (body.preserveNullAndEmptyArrays !== undefined) {
            if (typeof body.preserveNullAndEmptyArrays !== "boolean")
              throw stageError("$unwind.preserveNullAndEmptyArrays is true or false.");
            spec.preserveNullAndEmptyArrays = body.preserveNullAndEmptyArrays;
          }
          out.push({ $unwind: spec });
        } else throw stageError('$unwind takes "$field" or { path: "$field", preserveNullAndEmptyArrays }.');
        break;
      }
      case "$lookup": {
        const keys = isPlainObject(body) ? Object.keys(body).sort().join(",") : "";
        if (!isPlainObject(body) || keys !== "as,foreignField,from,localField") {
          throw stageError(
            "$lookup takes exactly { from, localField, foreignField, as } (no pipeline or let).",
          );
        }
        if (typeof body.from !== "string" || !rules.collections.includes(body.from)) {
          throw stageError(`$lookup.from must be a declared collection: ${rules.collections.join(", ")}.`);
        }
        const as = outputName(body.as, "$lookup.as");
        const foreignFields = rules.collectionFields?.[body.from];
        out.push({
          $lookup: {
            from: body.from,
            localField: field(String(body.localField)),
            foreignField: checkField(String(body.foreignField), { fields: foreignFields }),
            as,
            // Joined documents carry only the foreign collection's declared fields (MongoDB 5.0+).
            ...(foreignFields
              ? { pipeline: [{ $project: Object.fromEntries(foreignFields.map((f) => [f, 1])) }] }
              : {}),
          },
        });
        if (fields) fields = [...fields, ...(foreignFields ? foreignFields.map((f) => `${as}.${f}`) : [as])];
        break;
      }
      default:
        throw mongoError("MONGO_STAGE_REFUSED", `Pipeline stage "${name}" is not allowed.`, {
          hint: `Allowed: ${PIPELINE_STAGES.join(" ")}.`,
        });
    }
  }
  out.push({ $limit: rules.maxDocs + 1 });
  return out;
}

/** `"$field.path"`: a plain field reference (no `$$variables`, no expressions). */
function fieldRef(value: unknown, where: string, rules: FilterRules): string {
  if (typeof value !== "string" || !value.startsWith("$") || value.startsWith("$$")) {
    if (isPlainObject(value)) literal(value, 0); // names the refused operator, if any
    throw stageError(`${where} must be a "$field" reference.`);
  }
  return `$${checkField(value.slice(1), rules)}`;
}

function outputName(value: unknown, where: string): string {
  if (typeof value !== "string" || !OUTPUT_NAME.test(value) || value === "__proto__") {
    throw stageError(`${where}: "${String(value)}" is not a plain output name.`);
  }
  return value;
}

function stageError(message: string) {
  return mongoError("MONGO_STAGE_REFUSED", message, {
    hint: `Allowed stages: ${PIPELINE_STAGES.join(" ")}.`,
  });
}
