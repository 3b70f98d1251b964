import { describe, expect, it } from "vitest";
import { RefError, resolveLocalRefs } from "./resolve-refs.js";

describe("resolveLocalRefs", () => {
  it("inlines nested local refs and keeps 3.1 sibling keywords", () => {
    const doc = {
      components: {
        schemas: {
          Id: { type: "string" },
          "a/b": { type: "integer" },
          User: {
            type: "object",
            properties: { id: { $ref: "#/components/schemas/Id", description: "the id" } },
          },
        },
      },
      root: { $ref: "#/components/schemas/User" },
      escaped: { $ref: "#/components/schemas/a~1b" },
    };
    const out = resolveLocalRefs(doc);
    expect(out.root).toEqual({
      type: "object",
      properties: { id: { type: "string", description: "the id" } },
    });
    expect(out.escaped).toEqual({ type: "integer" });
  });

  it("cuts cycles with an open schema that names the type", () => {
    const doc = {
      components: {
        schemas: { Node: { type: "object", properties: { next: { $ref: "#/components/schemas/Node" } } } },
      },
      root: { $ref: "#/components/schemas/Node" },
    };
    const out = resolveLocalRefs(doc, doc.root) as any;
    expect(out.properties.next).toEqual({ description: "(recursive reference to Node)" });
  });

  it("refuses external and dangling refs", () => {
    expect(() => resolveLocalRefs({ a: { $ref: "other.yaml#/x" } })).toThrow(RefError);
    expect(() => resolveLocalRefs({ a: { $ref: "#/nowhere" } })).toThrow(/points at nothing/);
  });
});
