import { describe, expect, it } from "vitest";
import { safeRegex, sanitizeFilter } from "./mongo-filter.js";

const fields = ["name", "email", "age", "address", "tags", "orders"];

describe("sanitizeFilter", () => {
  it("passes allow-listed operators through unchanged (as a copy)", () => {
    const filter = {
      name: "Ann",
      age: { $gte: 18, $lt: 65, $ne: 30 },
      tags: { $in: ["a", "b"], $nin: ["c"] },
      email: { $exists: true },
      $or: [{ "address.city": "Oslo" }, { "address.city": { $eq: "Bergen" } }],
      $and: [{ age: { $not: { $gt: 60 } } }],
      orders: { $elemMatch: { total: { $gt: 10 }, status: "paid" } },
    };
    const out = sanitizeFilter(filter, { fields });
    expect(out).toEqual(filter);
    expect(out).not.toBe(filter);
    expect(sanitizeFilter({ tags: { $elemMatch: { $gte: 1, $lte: 3 } } })).toEqual({
      tags: { $elemMatch: { $gte: 1, $lte: 3 } },
    });
    expect(sanitizeFilter({ address: { city: "Oslo", zip: "0150" } })).toEqual({
      address: { city: "Oslo", zip: "0150" },
    });
  });

  it.each([
    ["$where", { $where: "this.a == 1" }],
    ["$where nested in $or", { $or: [{ $where: "sleep(1000)" }] }],
    ["$expr", { $expr: { $function: { body: "return true", args: [], lang: "js" } } }],
    ["$function as a field operator", { age: { $function: {} } }],
    ["$accumulator", { age: { $accumulator: {} } }],
    ["$text", { $text: { $search: "x" } }],
    ["$jsonSchema", { $jsonSchema: {} }],
    ["$nor (not allowed)", { $nor: [{ a: 1 }] }],
    ["$comment", { $comment: "x" }],
    ["unknown $ key", { $foo: 1 }],
    ["$ key inside an equality document", { address: { city: "x", $where: "1" } }],
    ["$ key deep inside a literal", { address: { nested: { $gt: "" } } }],
    ["$ key inside an $in value", { tags: { $in: [{ $where: "1" }] } }],
    ["$where inside $elemMatch", { orders: { $elemMatch: { $where: "1" } } }],
    ["$where inside $not", { age: { $not: { $where: "1" } } }],
    ["$type", { age: { $type: "string" } }],
    ["$mod", { age: { $mod: [2, 0] } }],
  ])("refuses %s", (_, filter) => {
    expect(() => sanitizeFilter(filter)).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^MONGO_(OPERATOR_REFUSED|ARGUMENT_INVALID)$/) }),
    );
  });

  it("refuses fields that are not declared, $-prefixed path segments and odd keys", () => {
    expect(() => sanitizeFilter({ password: "x" }, { fields })).toThrow(
      expect.objectContaining({ code: "MONGO_FIELD_REFUSED" }),
    );
    expect(() => sanitizeFilter({ "secret.pw": "x" }, { fields })).toThrow(/not declared/);
    expect(() => sanitizeFilter({ "orders.$where": 1 }, {})).toThrow(/plain field path/);
    expect(() => sanitizeFilter({ "a..b": 1 })).toThrow(/plain field path/);
    expect(() => sanitizeFilter({ "name\u0000": 1 })).toThrow(/plain field path/);
    expect(() => sanitizeFilter({ nаme: 1 }, { fields })).toThrow(/not a plain field path/); // Cyrillic а
    expect(() => sanitizeFilter(JSON.parse('{"__proto__": {"x": 1}}'))).toThrow();
    expect(() =>
      sanitizeFilter({ orders: { $elemMatch: { secret: 1 } } }, { fields: ["orders.total"] }),
    ).toThrow(/not declared/);
    expect(sanitizeFilter({ "address.city": "Oslo", _id: "abc" }, { fields })).toEqual({
      "address.city": "Oslo",
      _id: "abc",
    });
  });

  it("refuses wrong shapes: non-objects, mixed operator/plain keys, non-scalar comparisons, huge arrays, deep nesting", () => {
    expect(() => sanitizeFilter([{ a: 1 }])).toThrow(/must be an object/);
    expect(() => sanitizeFilter("{}")).toThrow(/must be an object/);
    expect(() => sanitizeFilter({ age: { $gt: 1, plain: 2 } })).toThrow(/mixes/);
    expect(() => sanitizeFilter({ age: { $gt: { $ne: 1 } } })).toThrow(/string, number, boolean or null/);
    expect(() => sanitizeFilter({ tags: { $in: Array.from({ length: 101 }, (_, i) => i) } })).toThrow(
      /at most 100/,
    );
    expect(() => sanitizeFilter({ tags: { $in: "a" } })).toThrow(/needs an array/);
    expect(() => sanitizeFilter({ email: { $exists: "yes" } })).toThrow(/true or false/);
    expect(() => sanitizeFilter({ $or: [] })).toThrow(/1 to 20/);
    expect(() => sanitizeFilter({ age: Number.NaN })).toThrow(/finite/);
    expect(() => sanitizeFilter({ age: { $not: 5 } })).toThrow(/operator object/);
    let deep: Record<string, unknown> = { a: 1 };
    for (let i = 0; i < 12; i++) deep = { $and: [deep] };
    expect(() => sanitizeFilter(deep)).toThrow(/deeper/);
    expect(() => sanitizeFilter({ a: new Date() as unknown })).toThrow(/Unsupported value/);
  });

  it("escapes $regex text, keeps a leading ^ as anchor, caps length and allows only the i option", () => {
    expect(sanitizeFilter({ name: { $regex: "a.b*(c)", $options: "i" } })).toEqual({
      name: { $regex: "a\\.b\\*\\(c\\)", $options: "i" },
    });
    expect(sanitizeFilter({ name: { $regex: "^Ann" } })).toEqual({ name: { $regex: "^Ann" } });
    expect(safeRegex("(a+)+$", "name", 100)).toBe("\\(a\\+\\)\\+\\$");
    expect(() => sanitizeFilter({ name: { $regex: "x".repeat(101) } })).toThrow(/longer than 100/);
    expect(() => sanitizeFilter({ name: { $regex: "x", $options: "x" } })).toThrow(/only be "i"/);
    expect(() => sanitizeFilter({ name: { $options: "i" } })).toThrow(/needs \$regex/);
    expect(() => sanitizeFilter({ name: { $regex: { $where: "1" } } })).toThrow(/must be a string/);
  });
});
