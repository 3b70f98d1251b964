import { describe, expect, it } from "vitest";
import { bindFilter, bindPipeline, identityMatch, identityProblem } from "./mongo-identity.js";

describe("MongoDB identity binding", () => {
  const caller = { id: "u1", roles: [], attributes: { tenant: "acme" } };

  it("matches the caller's id or attribute, and refuses a run without one", () => {
    expect(identityMatch({ field: "owner" }, caller, "t")).toEqual({ owner: "u1" });
    expect(identityMatch({ field: "org", value: "user.tenant" }, caller, "t")).toEqual({ org: "acme" });
    expect(() => identityMatch({ field: "owner" }, undefined, "t")).toThrow(
      expect.objectContaining({ code: "MONGO_CALLER_REQUIRED" }),
    );
    expect(() => identityMatch({ field: "o", value: "user.dept" }, caller, "t")).toThrow(/dept/);
  });

  it("ANDs the binding with the planner's filter so an $or cannot lift it", () => {
    expect(bindFilter({}, { owner: "u1" })).toEqual({ owner: "u1" });
    const planner = { $or: [{ owner: "u2" }, { owner: { $exists: true } }] };
    expect(bindFilter(planner, { owner: "u1" })).toEqual({ $and: [{ owner: "u1" }, planner] });
  });

  it("puts a $match first in the pipeline and in every $lookup into a bound collection", () => {
    const pipeline = [
      { $lookup: { from: "notes", localField: "_id", foreignField: "c", as: "n" } },
      { $lookup: { from: "open", localField: "_id", foreignField: "c", as: "o" } },
      {
        $lookup: {
          from: "notes",
          localField: "_id",
          foreignField: "c",
          as: "m",
          pipeline: [{ $project: { text: 1 } }],
        },
      },
    ];
    const out = bindPipeline(pipeline, { owner: "u1" }, (from) =>
      from === "notes" ? { owner: "u1" } : undefined,
    );
    expect(out[0]).toEqual({ $match: { owner: "u1" } });
    expect((out[1].$lookup as any).pipeline).toEqual([{ $match: { owner: "u1" } }]);
    expect(out[2]).toBe(pipeline[1]);
    expect((out[3].$lookup as any).pipeline).toEqual([
      { $match: { owner: "u1" } },
      { $project: { text: 1 } },
    ]);
    expect(bindPipeline(pipeline, undefined, () => undefined)).toEqual(pipeline);
  });

  it("checks the configuration", () => {
    expect(identityProblem({ field: "owner" })).toBeUndefined();
    expect(identityProblem({ field: "$where" })).toMatch(/plain field/);
    expect(identityProblem({ field: "owner", value: "planner.id" })).toMatch(/user\.id/);
  });
});
