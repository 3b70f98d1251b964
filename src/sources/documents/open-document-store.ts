import { loadPg } from "../../core/load-optional.js";
import { SqliteDocumentStore } from "./sqlite-document-store.js";
import type { DocumentStore } from "./document-store.js";
import { isPostgresUrl, parsePgIndexUrl } from "./postgres/pg-index-url.js";

export interface OpenStoreOptions {
  /** Create the index when missing (ingest). */
  create?: boolean;
  /** Receives one-line notices (e.g. which vector backend a PostgreSQL index uses). */
  onNotice?: (line: string) => void;
}

/**
 * Opens the index `target` names: a `postgres://` URL (see `parsePgIndexUrl`) opens a
 * `PgDocumentStore` on its own `pg` Pool; anything else is a SQLite file path.
 */
export async function openDocumentStore(
  target: string,
  options: OpenStoreOptions = {},
): Promise<DocumentStore> {
  if (!isPostgresUrl(target)) return SqliteDocumentStore.open(target, { create: options.create });
  const parsed = parsePgIndexUrl(target);
  const [{ default: pg }, { PgDocumentStore }, { pgPoolAdapter }] = await Promise.all([
    loadPg(),
    import("./postgres/pg-document-store.js"),
    import("./postgres/query-adapter.js"),
  ]);
  const pool = new pg.Pool({ connectionString: parsed.connectionString, max: 4 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  const db = pgPoolAdapter(pool, { ownsPool: true });
  try {
    return await PgDocumentStore.open({
      db,
      schema: parsed.schema,
      language: parsed.language,
      vector: parsed.vector,
      create: options.create ?? false,
      label: parsed.label,
      onNotice: options.onNotice,
    });
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/** A target the caller opened itself stays open; one we opened from a path or URL is ours to close. */
export async function resolveStore(
  target: string | DocumentStore,
  options: OpenStoreOptions = {},
): Promise<{ store: DocumentStore; owned: boolean }> {
  if (typeof target !== "string") return { store: target, owned: false };
  return { store: await openDocumentStore(target, options), owned: true };
}
