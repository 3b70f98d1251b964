import { describe, expect, it } from "vitest";
import { compileNamedParams } from "./named-params.js";

const pg = (sql: string) => compileNamedParams(sql, (i) => `$${i}`, true);
const lite = (sql: string) => compileNamedParams(sql, () => "?", false);

describe("compileNamedParams", () => {
  it("numbers distinct names for PostgreSQL and repeats positions for SQLite", () => {
    const sql = "SELECT * FROM t WHERE a = :a AND b = :user.id OR c = :a";
    expect(pg(sql)).toMatchObject({
      sql: "SELECT * FROM t WHERE a = $1 AND b = $2 OR c = $1",
      bindOrder: ["a", "user.id"],
    });
    expect(lite(sql)).toMatchObject({
      sql: "SELECT * FROM t WHERE a = ? AND b = ? OR c = ?",
      bindOrder: ["a", "user.id", "a"],
    });
  });

  it("leaves colons in strings, identifiers, comments, casts and dollar quotes alone", () => {
    const sql = `SELECT ':no', "x:y", a::text, $q$ :no $q$ -- :no\n/* :no */ FROM t WHERE a = :yes`;
    const out = pg(sql);
    expect(out.names).toEqual(["yes"]);
    expect(out.sql).toBe(`SELECT ':no', "x:y", a::text, $q$ :no $q$ -- :no\n/* :no */ FROM t WHERE a = $1`);
    expect(lite("SELECT 'it''s :no' WHERE x = :p").names).toEqual(["p"]);
  });

  it("refuses positional placeholders", () => {
    expect(() => lite("SELECT * FROM t WHERE a = ?")).toThrow(/named parameters/);
    expect(() => pg("SELECT * FROM t WHERE a = $1")).toThrow(/named parameters/);
    expect(lite("SELECT '?' AS q").names).toEqual([]);
  });
});
