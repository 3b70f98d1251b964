import { sqlError } from "./sql-error.js";

/** A SQL statement with `:name` parameters rewritten to driver placeholders. */
export interface CompiledSql {
  sql: string;
  /** Parameter name per placeholder position (`customer_id`, `user.id`). */
  order: string[];
  /** Distinct names in first-seen order. */
  names: string[];
  /** Names in the order the driver wants their values. */
  bindOrder: string[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?/y;

/**
 * Rewrites `:name` / `:user.id` parameters into `?` (SQLite) or `$n` (PostgreSQL, one number per
 * distinct name). Skips string literals, quoted identifiers, comments, dollar-quoted bodies and
 * `::` casts, so a colon inside any of them is left alone. Values are never put into the text.
 */
export function compileNamedParams(
  sql: string,
  placeholder: (index: number) => string,
  reuse: boolean,
): CompiledSql {
  let out = "";
  const order: string[] = [];
  const names: string[] = [];
  let i = 0;
  const n = sql.length;
  const copyUntil = (end: number) => {
    out += sql.slice(i, end);
    i = end;
  };
  while (i < n) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === "'" || ch === '"' || ch === "`") {
      let j = i + 1;
      while (j < n) {
        if (sql[j] === ch) {
          if (sql[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      copyUntil(Math.min(n, j + 1));
    } else if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      copyUntil(end === -1 ? n : end + 1);
    } else if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      copyUntil(end === -1 ? n : end + 2);
    } else if (ch === "$" && /[A-Za-z_$]/.test(next ?? "")) {
      const tag = /^\$[A-Za-z_0-9]*\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        copyUntil(end === -1 ? n : end + tag[0].length);
      } else copyUntil(i + 1);
    } else if (ch === ":" && next === ":") {
      copyUntil(i + 2);
    } else if (ch === ":" && sql[i - 1] !== ":") {
      NAME.lastIndex = i + 1;
      const match = NAME.exec(sql);
      if (!match) {
        copyUntil(i + 1);
        continue;
      }
      const name = match[0];
      let index = order.length + 1;
      if (reuse) {
        const seen = names.indexOf(name);
        index = seen === -1 ? names.length + 1 : seen + 1;
      }
      if (!names.includes(name)) names.push(name);
      order.push(name);
      out += placeholder(index);
      i = NAME.lastIndex;
    } else {
      copyUntil(i + 1);
    }
  }
  const positional = reuse ? /(^|[^A-Za-z0-9_])\$\d/ : /\?|(^|[^A-Za-z0-9_])\$\d/;
  if (positional.test(stripLiterals(sql))) {
    throw sqlError("SQL_CONFIG_INVALID", "The declared SQL uses positional placeholders (`?` or `$1`).", {
      hint: "Use named parameters like `:customer_id`, declared in `params`.",
    });
  }
  return { sql: out, order, names, bindOrder: reuse ? names : order };
}

function stripLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, "");
}
