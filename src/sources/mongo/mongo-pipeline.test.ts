import { describe, expect, it } from "vitest";
import { sanitizePipeline } from "./mongo-pipeline.js";

const rules = {
  fields: ["customer", "total", "status", "items", "created"],
  collections: ["orders", "customers"],
  maxDocs: 50,
};

describe("sanitizePipeline", () => {
  it("keeps allow-listed stages and always appends the document cap", () => {
    const pipeline = [
      { $match: { status: "paid", total: { $gt: 10 } } },
      { $unwind: { path: "$items", preserveNullAndEmptyArrays: false } },
      { $lookup: { from: "customers", localField: "customer", foreignField: "_id", as: "buyer" } },
      { $match: { "buyer.country": "NO" } },
      {
        $group: {
          _id: "$customer",
          revenue: { $sum: "$total" },
          n: { $sum: 1 },
          orders: { $count: {} },
          avg: { $avg: "$total" },
        },
      },
      { $sort: { revenue: -1 } },
      { $skip: 5 },
      { $limit: 10 },
      { $project: { revenue: 1, who: "$_id", _id: 0 } },
    ];
    expect(sanitizePipeline(pipeline, rules)).toEqual([...pipeline, { $limit: 51 }]);
    expect(sanitizePipeline([{ $match: { status: "x" } }, { $count: "n" }], rules)).toEqual([
      { $match: { status: "x" } },
      { $count: "n" },
      { $limit: 51 },
    ]);
    expect(
      sanitizePipeline(
        [{ $group: { _id: { s: "$status", c: "$customer" }, t: { $max: "$total" } } }],
        rules,
      )[0],
    ).toEqual({
      $group: { _id: { s: "$status", c: "$customer" }, t: { $max: "$total" } },
    });
    expect(sanitizePipeline([{ $limit: 10_000 }], rules)[0]).toEqual({ $limit: 51 });
  });

  it.each([
    ["$out", [{ $out: "stolen" }]],
    ["$merge", [{ $merge: { into: "other" } }]],
    [
      "$function in $group",
      [{ $group: { _id: null, x: { $function: { body: "1", args: [], lang: "js" } } } }],
    ],
    ["$accumulator in $group", [{ $group: { _id: null, x: { $accumulator: {} } } }]],
    ["$where in $match", [{ $match: { $where: "1" } }]],
    ["$expr in $match", [{ $match: { $expr: { $gt: ["$a", 1] } } }]],
    ["expression in $project", [{ $project: { x: { $function: {} } } }]],
    ["$$ variable in $project", [{ $project: { x: "$$ROOT" } }]],
    ["$addFields", [{ $addFields: { x: 1 } }]],
    ["$facet", [{ $facet: {} }]],
    ["$unionWith", [{ $unionWith: "secrets" }]],
    ["$graphLookup", [{ $graphLookup: {} }]],
    [
      "$lookup to an undeclared collection",
      [{ $lookup: { from: "secrets", localField: "customer", foreignField: "_id", as: "s" } }],
    ],
    ["$lookup with a pipeline", [{ $lookup: { from: "customers", pipeline: [], as: "s" } }]],
    ["two operators in one stage", [{ $match: {}, $limit: 1 }]],
    ["undeclared field in $match", [{ $match: { password: "x" } }]],
    ["undeclared field in $sort", [{ $sort: { password: 1 } }]],
    ["undeclared field reference in $group", [{ $group: { _id: "$password" } }]],
    ["bad sort direction", [{ $sort: { total: "desc" } }]],
    ["negative $limit", [{ $limit: -1 }]],
    ["huge $skip", [{ $skip: 1e9 }]],
    ["not an array", { $match: {} }],
    ["dotted output name", [{ $group: { _id: null, "a.b": { $sum: 1 } } }]],
  ])("refuses %s", (_, pipeline) => {
    expect(() => sanitizePipeline(pipeline, rules)).toThrow(
      expect.objectContaining({
        code: expect.stringMatching(
          /^MONGO_(STAGE_REFUSED|OPERATOR_REFUSED|FIELD_REFUSED|ARGUMENT_INVALID)$/,
        ),
      }),
    );
  });

  it("names the refused operator in the message", () => {
    expect(() => sanitizePipeline([{ $out: "x" }], rules)).toThrow(/"\$out" is not allowed/);
    expect(() => sanitizePipeline([{ $match: { $where: "1" } }], rules)).toThrow(/"\$where" is not allowed/);
  });
});

describe("$lookup and declared fields", () => {
  const declared = {
    ...rules,
    collectionFields: { orders: rules.fields, customers: ["_id", "country"] },
  };

  it("joins only the foreign collection's declared fields, and only lets later stages use those", () => {
    const out = sanitizePipeline(
      [
        { $lookup: { from: "customers", localField: "customer", foreignField: "_id", as: "buyer" } },
        { $match: { "buyer.country": "NO" } },
      ],
      declared,
    );
    expect(out[0]).toEqual({
      $lookup: {
        from: "customers",
        localField: "customer",
        foreignField: "_id",
        as: "buyer",
        pipeline: [{ $project: { _id: 1, country: 1 } }],
      },
    });
    expect(() =>
      sanitizePipeline(
        [
          { $lookup: { from: "customers", localField: "customer", foreignField: "_id", as: "buyer" } },
          { $match: { "buyer.ssn": "x" } },
        ],
        declared,
      ),
    ).toThrow(/buyer\.ssn/);
    expect(() =>
      sanitizePipeline(
        [{ $lookup: { from: "customers", localField: "customer", foreignField: "ssn", as: "b" } }],
        declared,
      ),
    ).toThrow(/ssn/);
  });
});
