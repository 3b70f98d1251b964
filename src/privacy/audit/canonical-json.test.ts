import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";

describe("canonicalJson", () => {
  it("sorts keys recursively and emits no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it("does not depend on insertion order", () => {
    const a = { host: "h", seq: 1, counts: { EMAIL: 2, PERSON: 1 } };
    const b = { counts: { PERSON: 1, EMAIL: 2 }, seq: 1, host: "h" };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it("sorts by UTF-16 code units (RFC 8785), not by locale", () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, "😀": 4, "\uffff": 5 })).toBe(
      '{"Z":3,"z":2,"é":1,"😀":4,"\uffff":5}',
    );
  });

  it("escapes strings as JSON and normalises -0", () => {
    expect(canonicalJson(['a"b\\c\n\u0001', -0, 1.5, 1e21])).toBe('["a\\"b\\\\c\\n\\u0001",0,1.5,1e+21]');
  });

  it("omits undefined members but keeps null", () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it.each([
    ["NaN", { n: Number.NaN }, /non-finite number NaN at \$\.n/],
    ["Infinity", [Number.POSITIVE_INFINITY], /non-finite/],
    ["undefined in an array", [1, undefined], /undefined at \$\[1\]/],
    ["a Date", { at: new Date(0) }, /instance of Date at \$\.at/],
    ["a bigint", { n: 1n }, /type bigint/],
    ["a function", { f: () => 1 }, /type function/],
  ])("refuses %s with a typed error", (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
    expect(() => canonicalJson(value)).toThrow(expect.objectContaining({ code: "AUDIT_ENCODING_INVALID" }));
  });

  it("accepts null-prototype objects", () => {
    const o = Object.create(null) as Record<string, number>;
    o.b = 2;
    o.a = 1;
    expect(canonicalJson(o)).toBe('{"a":1,"b":2}');
  });
});
