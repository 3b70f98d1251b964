import { DocumentError } from "../document-errors.js";

export type VectorBackendChoice = "auto" | "pgvector" | "array";
export type TextSearchLanguage = "simple" | "english";

export interface PgIndexTarget {
  /** Connection string for `pg`, without flm's own parameters. */
  connectionString: string;
  schema?: string;
  language?: TextSearchLanguage;
  vector?: VectorBackendChoice;
  /** The URL without its password, for messages. */
  label: string;
}

/** True for `postgres://` and `postgresql://` index locations. */
export function isPostgresUrl(index: string): boolean {
  return /^postgres(ql)?:\/\//i.test(index.trim());
}

/**
 * Reads `postgres://user:pw@host/db?schema=docs&language=english&vector=auto`. `schema`,
 * `language` and `vector` are flm's and are removed before connecting; the rest goes to `pg`.
 */
export function parsePgIndexUrl(index: string): PgIndexTarget {
  let url: URL;
  try {
    url = new URL(index.trim());
  } catch (cause) {
    throw new DocumentError("DOC_INDEX_INVALID", "The PostgreSQL index URL cannot be parsed.", {
      cause,
      hint: "Use postgres://user:password@host:5432/database?schema=flm_docs",
    });
  }
  const take = (name: string) => {
    const value = url.searchParams.get(name) ?? undefined;
    url.searchParams.delete(name);
    return value;
  };
  const schema = take("schema");
  const language = take("language");
  const vector = take("vector");
  if (language !== undefined && language !== "simple" && language !== "english") {
    throw new DocumentError("DOC_INDEX_INVALID", `Unknown text search language "${language}".`, {
      hint: "Use language=simple (any language, no stemming) or language=english.",
    });
  }
  if (vector !== undefined && vector !== "auto" && vector !== "pgvector" && vector !== "array") {
    throw new DocumentError("DOC_INDEX_INVALID", `Unknown vector backend "${vector}".`, {
      hint: "Use vector=auto (default), pgvector or array.",
    });
  }
  const connectionString = url.toString();
  if (url.password) url.password = "***";
  return {
    connectionString,
    schema,
    language: language as TextSearchLanguage | undefined,
    vector: vector as VectorBackendChoice | undefined,
    label: url.toString(),
  };
}
