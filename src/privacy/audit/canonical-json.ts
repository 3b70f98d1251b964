/**
 * Canonical JSON for hashing and signing: object keys sorted by UTF-16 code units (as in
 * RFC 8785), no whitespace, `undefined` object members omitted, strings escaped by
 * `JSON.stringify`. Only plain JSON values are accepted, so the encoding of a value can never
 * depend on a class's `toJSON` or on property insertion order.
 */
import { AuditEncodingError } from "./audit-errors.js";

export type CanonicalValue =
  | null
  | boolean
  | number
  | string
  | CanonicalValue[]
  | { [key: string]: CanonicalValue | undefined };

export function canonicalJson(value: unknown): string {
  return encode(value, "$");
}

function encode(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new AuditEncodingError(path, `the non-finite number ${value}`);
      // -0 and 0 must hash identically; JSON.stringify already prints -0 as "0".
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => {
          if (item === undefined) throw new AuditEncodingError(`${path}[${i}]`, "undefined");
          return encode(item, `${path}[${i}]`);
        })}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new AuditEncodingError(path, `an instance of ${proto?.constructor?.name ?? "a class"}`);
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort(compareCodeUnits);
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(record[k], `${path}.${k}`)}`).join(",")}}`;
    }
    default:
      throw new AuditEncodingError(path, `a value of type ${typeof value}`);
  }
}

/** Plain `<` on JS strings compares UTF-16 code units, which is what RFC 8785 specifies. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
