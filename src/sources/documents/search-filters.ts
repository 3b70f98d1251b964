import { DocumentError } from "./document-errors.js";
import { normaliseType } from "./parsers/parser-registry.js";

export interface SearchFilters {
  /** A path prefix (`policies/`) or a glob (`policies/*.md`, `**\/*.pdf`; `*` also crosses `/`). */
  path?: string;
  /** Document type or extension: `pdf`, `md`/`markdown`, `txt`/`text`, `html`. */
  type?: string | string[];
}

/** A SQL condition on the `documents d` alias, with its parameters. */
export function filterSql(filters: SearchFilters | undefined): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const path = filters?.path
    ?.trim()
    .replace(/\\/g, "/")
    .replace(/^\.?\//, "");
  if (path) {
    if (/[*?[]/.test(path)) {
      // `**/` means "any directory, or none" in common glob dialects; SQLite's `*` already crosses `/`.
      clauses.push("(d.path GLOB ? OR d.path GLOB ?)");
      params.push(path.replace(/\*\*\/?/g, "*"), path.replace(/\*\*\//g, ""));
    } else {
      clauses.push("substr(d.path, 1, ?) = ?");
      params.push(path.length, path);
    }
  }
  const types =
    filters?.type === undefined ? [] : Array.isArray(filters.type) ? filters.type : [filters.type];
  if (types.length > 0) {
    const normalised = types.map((value) => {
      const type = normaliseType(value);
      if (!type) {
        throw new DocumentError("DOC_QUERY_INVALID", `Unknown document type filter "${value}".`, {
          hint: "Use one of: pdf, markdown (md), text (txt), html.",
        });
      }
      return type;
    });
    clauses.push(`d.type IN (${normalised.map(() => "?").join(", ")})`);
    params.push(...normalised);
  }
  return { where: clauses.length ? clauses.join(" AND ") : "1", params };
}
