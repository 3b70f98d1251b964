import { describe, expect, it } from "vitest";
import { normalizeSchema } from "./normalize-schema.js";

describe("normalizeSchema (OpenAPI 3.0 → draft-07)", () => {
  it("turns nullable into a null type and boolean exclusive bounds into numbers, recursively", () => {
    expect(
      normalizeSchema({
        type: "object",
        properties: {
          a: { type: "string", nullable: true, enum: ["x"] },
          b: { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false },
        },
      }),
    ).toEqual({
      type: "object",
      properties: {
        a: { type: ["string", "null"], enum: ["x", null] },
        b: { type: "number", exclusiveMinimum: 0, maximum: 9 },
      },
    });
  });
});
