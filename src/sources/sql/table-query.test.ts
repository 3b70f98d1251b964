import { describe, expect, it } from "vitest";
import { quoteIdent, type TableInfo } from "./sql-driver.js";
import { buildFindQuery, escapeLike, type FindArgs } from "./table-query.js";

const table: TableInfo = {
  name: 'we"ird',
  columns: [
    { name: "id", dbType: "integer", kind: "integer" },
    { name: "owner", dbType: "text", kind: "string" },
    { name: 'na"me', dbType: "text", kind: "string" },
  ],
};
const build = (args: FindArgs, extra: object = {}) =>
  buildFindQuery(table, args, {
    dialect: "postgres",
    placeholder: (i) => `$${i}`,
    quoteIdent,
    maxRows: 10,
    toolName: "find_t",
    ...extra,
  });

describe("buildFindQuery", () => {
  it("quotes every identifier and binds every value", () => {
    const out = build({
      columns: ['na"me'],
      filters: [
        { column: "id", op: "in", value: [1, 2] },
        { column: 'na"me', op: "contains", value: "50%_" },
      ],
      orderBy: [{ column: "id", direction: "desc" }],
      limit: 5,
    });
    expect(out.sql).toBe(
      `SELECT "na""me" FROM "we""ird" WHERE ("id" IN ($1, $2)) AND (CAST("na""me" AS TEXT) ILIKE $3 ESCAPE '\\') ORDER BY "id" DESC LIMIT 6`,
    );
    expect(out.params).toEqual([1, 2, "%50\\%\\_%"]);
  });

  it("always ANDs the row filter with the caller's identity, after the planner's filters", () => {
    const out = build(
      { filters: [{ column: "owner", op: "eq", value: "u2" }] },
      { rowFilter: { column: "owner", equals: ":user.id" }, caller: { id: "u1", roles: [] } },
    );
    expect(out.sql).toContain(`WHERE ("owner" = $1) AND ("owner" = $2)`);
    expect(out.params).toEqual(["u2", "u1"]);
    const roles = build(
      {},
      { rowFilter: { column: "owner", equals: ":user.roles" }, caller: { id: "u1", roles: [] } },
    );
    expect(roles.sql).toContain("1 = 0");
  });

  it("refuses unknown columns, operators, prototype keys, bad limits and non-scalar values", () => {
    expect(() => build({ columns: ["ID"] })).toThrow(/not a column/);
    expect(() => build({ filters: [{ column: "id", op: "toString" as never, value: 1 }] })).toThrow(
      /unknown operator/,
    );
    expect(() => build({ filters: [{ column: "id", op: "eq", value: { $gt: 1 } as never }] })).toThrow(
      /string, number or boolean/,
    );
    expect(() => build({ filters: [{ column: "id", op: "in", value: [] }] })).toThrow(/1 to 100/);
    expect(() => build({ limit: 11 })).toThrow(/limit/);
    expect(() => build({ orderBy: [{ column: "id", direction: "asc; DROP" as never }] })).toThrow(
      /direction/,
    );
  });

  it("escapes LIKE wildcards", () => {
    expect(escapeLike("a%b_c\\d")).toBe("a\\%b\\_c\\\\d");
  });
});
