import { parseFilters, type SearchFilters } from "../search-filters.js";

/**
 * A PostgreSQL condition on the `documents d` alias. Parameters are numbered from `first`
 * (`$first`, `$first+1`, ...) so the caller can put its own parameters before them.
 */
export function pgFilterSql(
  filters: SearchFilters | undefined,
  first: number,
): { where: string; params: unknown[] } {
  const { prefix, globs, types } = parseFilters(filters);
  const clauses: string[] = [];
  const params: unknown[] = [];
  const next = (value: unknown) => {
    params.push(value);
    return `$${first + params.length - 1}`;
  };
  if (globs)
    clauses.push(`(d.path ~ ${next(globToRegex(globs[0]))} OR d.path ~ ${next(globToRegex(globs[1]))})`);
  if (prefix) clauses.push(`starts_with(d.path, ${next(prefix)})`);
  if (types) clauses.push(`d.type = ANY(${next(types)}::text[])`);
  return { where: clauses.length ? clauses.join(" AND ") : "true", params };
}

/** SQLite GLOB semantics as an anchored POSIX regex: `*` any run (also `/`), `?` one char, `[...]` a class. */
export function globToRegex(glob: string): string {
  let out = "^";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*") out += ".*";
    else if (ch === "?") out += ".";
    else if (ch === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) out += "\\[";
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        out += `[${body.startsWith("^") ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else out += /[.+^${}()|\\\]]/.test(ch) ? `\\${ch}` : ch;
  }
  return `${out}$`;
}
