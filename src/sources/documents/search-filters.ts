import { DocumentError } from "./document-errors.js";
import type { DocumentType } from "./parsers/parsed-document.js";
import { normaliseType } from "./parsers/parser-registry.js";

export interface SearchFilters {
  /** A path prefix (`policies/`) or a glob (`policies/*.md`, `**\/*.pdf`; `*` also crosses `/`). */
  path?: string;
  /** Document type or extension: `pdf`, `md`/`markdown`, `txt`/`text`, `html`. */
  type?: string | string[];
}

/** Filters checked and normalised, for any SQL dialect. */
export interface ParsedFilters {
  /** Path prefix. */
  prefix?: string;
  /** Path glob (`*` crosses `/`); a path matching either pattern passes (`**\/` may match no directory). */
  globs?: [string, string];
  types?: DocumentType[];
}

export function parseFilters(filters: SearchFilters | undefined): ParsedFilters {
  const parsed: ParsedFilters = {};
  const path = filters?.path
    ?.trim()
    .replace(/\\/g, "/")
    .replace(/^\.?\//, "");
  if (path) {
    // `**/` means "any directory, or none" in common glob dialects; our `*` already crosses `/`.
    if (/[*?[]/.test(path)) parsed.globs = [path.replace(/\*\*\/?/g, "*"), path.replace(/\*\*\//g, "")];
    else parsed.prefix = path;
  }
  const types =
    filters?.type === undefined ? [] : Array.isArray(filters.type) ? filters.type : [filters.type];
  if (types.length > 0) {
    parsed.types = types.map((value) => {
      const type = normaliseType(value);
      if (!type) {
        throw new DocumentError("DOC_QUERY_INVALID", `Unknown document type filter "${value}".`, {
          hint: "Use one of: pdf, markdown (md), text (txt), html.",
        });
      }
      return type;
    });
  }
  return parsed;
}

/** A SQLite condition on the `documents d` alias, with its parameters. */
export function filterSql(filters: SearchFilters | undefined): { where: string; params: unknown[] } {
  const { prefix, globs, types } = parseFilters(filters);
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (globs) {
    clauses.push("(d.path GLOB ? OR d.path GLOB ?)");
    params.push(...globs);
  }
  if (prefix) {
    clauses.push("substr(d.path, 1, ?) = ?");
    params.push(prefix.length, prefix);
  }
  if (types) {
    clauses.push(`d.type IN (${types.map(() => "?").join(", ")})`);
    params.push(...types);
  }
  return { where: clauses.length ? clauses.join(" AND ") : "1", params };
}
