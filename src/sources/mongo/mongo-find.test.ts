import { ObjectId } from "mongodb";
import { describe, expect, it } from "vitest";
import { buildFind, plainDocument } from "./mongo-find.js";

const rules = { fields: ["name", "age", "address"], maxDocs: 20, maxTimeMS: 1500 };

describe("buildFind", () => {
  it("always sets limit (+1 for truncation) and maxTimeMS", () => {
    expect(buildFind({}, rules)).toEqual({ filter: {}, options: { limit: 21, maxTimeMS: 1500 }, limit: 20 });
    expect(
      buildFind(
        {
          filter: { age: { $gt: 3 } },
          fields: ["name", "address.city"],
          sort: [{ field: "age", direction: "desc" }],
          limit: 5,
          skip: 10,
        },
        rules,
      ),
    ).toEqual({
      filter: { age: { $gt: 3 } },
      options: {
        projection: { name: 1, "address.city": 1 },
        sort: { age: -1 },
        limit: 6,
        skip: 10,
        maxTimeMS: 1500,
      },
      limit: 5,
    });
  });

  it("refuses limits over the cap, undeclared projection/sort fields and refused filters", () => {
    expect(() => buildFind({ limit: 21 }, rules)).toThrow(/limit/);
    expect(() => buildFind({ limit: 0 }, rules)).toThrow(/limit/);
    expect(() => buildFind({ fields: ["password"] }, rules)).toThrow(/not declared/);
    expect(() => buildFind({ sort: [{ field: "$natural" }] }, rules)).toThrow(/plain field path/);
    expect(() => buildFind({ sort: [{ field: "age", direction: "sideways" as never }] }, rules)).toThrow(
      /direction/,
    );
    expect(() => buildFind({ filter: { $where: "sleep(1)" } }, rules)).toThrow(
      expect.objectContaining({ code: "MONGO_OPERATOR_REFUSED" }),
    );
    expect(() => buildFind({ skip: -1 }, rules)).toThrow(/skip/);
  });
});

describe("plainDocument", () => {
  it("flattens nested documents and turns BSON-ish values into JSON ones", () => {
    const oid = { _bsontype: "ObjectId", toHexString: () => "65a1f0c2e4b0a1b2c3d4e5f6" };
    expect(
      plainDocument({
        _id: oid,
        name: "A",
        at: new Date("2024-01-02T03:04:05Z"),
        address: { city: "Oslo", geo: { lat: 1 } },
        tags: ["x"],
      }),
    ).toEqual({
      _id: "65a1f0c2e4b0a1b2c3d4e5f6",
      name: "A",
      at: "2024-01-02T03:04:05.000Z",
      "address.city": "Oslo",
      "address.geo.lat": 1,
      tags: ["x"],
    });
  });
});

describe("plainDocument inside arrays", () => {
  it("converts BSON values in documents nested in arrays, keeping their shape", () => {
    const id = new ObjectId("65a1b2c3d4e5f60718293a4b");
    expect(plainDocument({ who: [{ _id: id, at: new Date(0), tags: [id] }] })).toEqual({
      who: [
        {
          _id: "65a1b2c3d4e5f60718293a4b",
          at: "1970-01-01T00:00:00.000Z",
          tags: ["65a1b2c3d4e5f60718293a4b"],
        },
      ],
    });
  });
});
