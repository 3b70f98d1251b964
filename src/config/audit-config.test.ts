import { describe, expect, it } from "vitest";
import { parseConfig } from "./load-config.js";

const WITNESS_KEY = "witness.example/w1+d4b7a9b7+BISWfwchOtglTfA/HYxdSBQw9R5L/gw3aj4RKQxAnbhD";
const base = { generator: "http://127.0.0.1:9/v1#m" };

describe("audit configuration: origin, replica and witnesses", () => {
  it("accepts witnesses with the log key, an origin, a replica id and a PostgreSQL schema", () => {
    const config = parseConfig({
      ...base,
      audit: {
        url: "postgres://u:p@db/flm",
        schema: "flm_audit_eu",
        keyPath: "audit.pem",
        origin: "example.com/flm-audit",
        replicaId: "gw-2",
        witnesses: [{ url: "https://witness.example.com", key: WITNESS_KEY }],
      },
    });
    expect(config.audit).toMatchObject({
      origin: "example.com/flm-audit",
      replicaId: "gw-2",
      schema: "flm_audit_eu",
    });
  });

  it.each([
    [
      "witnesses without keyPath",
      { path: "a.db", witnesses: [{ url: "http://w:7380", key: WITNESS_KEY }] },
      /audit\.witnesses.*keyPath/s,
    ],
    [
      "a witness key that is not a verifier key",
      { path: "a.db", keyPath: "k", witnesses: [{ url: "http://w", key: "nope" }] },
      /audit\.witnesses\[0\]\.key: .*C2SP verifier key/,
    ],
    [
      "a witness URL that is not http(s)",
      { path: "a.db", keyPath: "k", witnesses: [{ url: "ftp://w", key: WITNESS_KEY }] },
      /audit\.witnesses\[0\]\.url: .*http\(s\) URL/,
    ],
    ["an origin with a space", { path: "a.db", keyPath: "k", origin: "my log" }, /audit\.origin/],
    ["an unknown key", { path: "a.db", witness: [] }, /audit/],
  ])("refuses %s with the key path", (_name, audit, message) => {
    expect(() => parseConfig({ ...base, audit })).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID" }),
    );
    expect(() => parseConfig({ ...base, audit })).toThrow(message);
  });
});
