import { describe, expect, it } from "vitest";
import { SOURCE_KINDS, toolSourceSchema } from "./registry.js";

/** A minimal valid entry of each kind. */
const VALID = {
  sql: { kind: "sql", name: "crm", driver: "sqlite", path: "crm.db" },
  mongo: {
    kind: "mongo",
    name: "shop",
    url: "mongodb://127.0.0.1:27017",
    database: "shop",
    collections: [{ name: "orders", description: "One order per document" }],
  },
  mcp: { kind: "mcp", name: "files", command: "npx", args: ["server"] },
  openapi: { kind: "openapi", name: "orders", spec: "openapi.yaml" },
  documents: { kind: "documents", name: "handbook", index: "docs.db" },
} as const;

const issuesOf = (entry: unknown) =>
  toolSourceSchema.safeParse(entry).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];

describe("source registry", () => {
  it("has one schema per kind, each accepting a minimal entry", () => {
    expect(Object.keys(SOURCE_KINDS).sort()).toEqual(Object.keys(VALID).sort());
    for (const [kind, entry] of Object.entries(VALID)) {
      expect(SOURCE_KINDS[kind as keyof typeof VALID].kind).toBe(kind);
      expect(issuesOf(entry), kind).toEqual([]);
    }
  });

  it("refuses unknown keys in every kind (strict schemas)", () => {
    for (const [kind, entry] of Object.entries(VALID)) {
      expect(issuesOf({ ...entry, colections: [] }).join(";"), kind).toMatch(/colections/);
    }
  });

  it("validates a MongoDB entry against createMongoSource's options", () => {
    const { collections: _c, ...noCollections } = VALID.mongo;
    expect(issuesOf(noCollections)).toEqual([expect.stringMatching(/^collections: /)]);
    expect(issuesOf({ ...VALID.mongo, url: "http://127.0.0.1" })).toEqual([
      expect.stringMatching(/^url: .*mongodb:\/\//),
    ]);
    const collection = { ...VALID.mongo.collections[0], identity: { field: "owner", by: "x" } };
    expect(issuesOf({ ...VALID.mongo, collections: [collection] }).join(";")).toMatch(
      /collections\.0\.identity.*by/,
    );
    expect(issuesOf({ ...VALID.mongo, maxDocs: 0 })).toEqual([expect.stringMatching(/^maxDocs: /)]);
  });

  it("says what a driver or transport needs, at the key", () => {
    expect(issuesOf({ ...VALID.sql, path: undefined })).toEqual([
      'path: driver "sqlite" needs path (the database file)',
    ]);
    expect(issuesOf({ ...VALID.sql, driver: "postgres", path: undefined })).toEqual([
      'url: driver "postgres" needs url',
    ]);
    expect(issuesOf({ ...VALID.mcp, url: "http://127.0.0.1:1/mcp" })).toEqual([
      ": needs exactly one of command (stdio) or url (Streamable HTTP)",
    ]);
    expect(issuesOf({ ...VALID.sql, tables: [{ name: "t", rowFilter: { column: "c" } }] }).join(";")).toMatch(
      /^tables: /,
    );
  });

  it("reports which sources send tool arguments over the network", () => {
    expect(
      SOURCE_KINDS.mcp.remote?.({ kind: "mcp", name: "files", url: "https://mcp.example.com/x" }),
    ).toEqual({
      urls: ["https://mcp.example.com/x"],
      trusted: false,
    });
    expect(
      SOURCE_KINDS.openapi.remote?.({
        ...VALID.openapi,
        spec: "https://api.example.com/o.yaml",
        trusted: true,
      }),
    ).toEqual({ urls: ["https://api.example.com/o.yaml"], trusted: true });
    expect(SOURCE_KINDS.sql.remote).toBeUndefined();
  });
});
