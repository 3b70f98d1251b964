import type { Db, ObjectId } from "mongodb";
import { loadMongodb } from "../../core/load-optional.js";
import { type SensitiveChanges, type SensitiveValue, sensitiveChangesOf } from "../../tools/tool-source.js";

export interface SensitiveField {
  collection: string;
  field: string;
  type: string;
  origin: string;
}

/** Per collection, the highest ObjectId `_id` read (hex). */
type Mark = Record<string, string>;

async function* distinct(
  db: Db,
  f: SensitiveField,
  after: ObjectId | undefined,
  maxTimeMS: number,
): AsyncGenerator<SensitiveValue> {
  const match: Record<string, unknown> = { [f.field]: { $exists: true, $ne: null } };
  if (after) match._id = { $gt: after };
  const cursor = db
    .collection(f.collection)
    .aggregate([{ $match: match }, { $group: { _id: `$${f.field}` } }], { maxTimeMS });
  for await (const doc of cursor) {
    const text = String(doc._id).trim();
    if (text) yield { type: f.type, value: text, origin: f.origin };
  }
}

/** The highest `_id` of a collection when ids are ObjectIds (insertion ordered), else undefined. */
async function highestId(
  db: Db,
  collection: string,
  maxTimeMS: number,
  ObjectIdClass: typeof ObjectId,
): Promise<ObjectId | undefined> {
  const [doc] = await db
    .collection(collection)
    .find({}, { projection: { _id: 1 }, sort: { _id: -1 }, limit: 1, maxTimeMS })
    .toArray();
  return doc?._id instanceof ObjectIdClass ? doc._id : undefined;
}

/**
 * MongoDB by polling: documents whose ObjectId `_id` is past the last read are the new ones
 * (ObjectIds grow with insertion time). A collection with other ids, or without a mark, is read
 * in full. Updates and deletions are caught by the caller's periodic full rebuild; change streams
 * would need a replica set, which a plain server does not have.
 */
export function mongoSensitiveChanges(
  db: () => Promise<Db>,
  fields: SensitiveField[],
  since: string | undefined,
  maxTimeMS: number,
): SensitiveChanges {
  const previous: Mark | undefined = since ? (JSON.parse(since) as Mark) : undefined;
  return sensitiveChangesOf(async function* (state) {
    const d = await db();
    // The driver is an optional dependency: loaded with the source, never at import time.
    const { ObjectId: ObjectIdClass } = await loadMongodb();
    const next: Mark = {};
    let complete = true;
    let full = previous === undefined;
    for (const name of new Set(fields.map((f) => f.collection))) {
      const high = await highestId(d, name, maxTimeMS, ObjectIdClass);
      if (high) next[name] = high.toHexString();
      else complete = false;
    }
    for (const f of fields) {
      const from = previous?.[f.collection];
      const to = next[f.collection];
      if (from && to && from === to) continue;
      if (!from || !to) full = true;
      yield* distinct(d, f, from && to ? new ObjectIdClass(from) : undefined, maxTimeMS);
    }
    state.full = full;
    state.mark = complete ? JSON.stringify(next) : undefined;
  });
}
