import { describe, expect, it } from "vitest";
import { canonicalEntityType, ENTITY_TYPES, resolveEntityPolicies } from "./entity-types.js";

describe("entity types", () => {
  it("accepts canonical names, Presidio's names and aliases in any case", () => {
    const { policies, issues } = resolveEntityPolicies({
      EMAIL_ADDRESS: "block",
      phone_number: "allow",
      "Credit-Card": "block",
      IBAN_CODE: "block",
      US_SSN: "block",
      IP_ADDRESS: "allow",
      LOCATION: "pseudonymize",
      GPE: "pseudonymize",
      DATE_TIME: "allow",
      PERSON: "pseudonymize",
      ORGANIZATION: "pseudonymize",
    });
    expect(issues).toEqual([]);
    expect(policies).toEqual({
      EMAIL: "block",
      PHONE: "allow",
      CREDIT_CARD: "block",
      IBAN: "block",
      US_SSN: "block",
      IP_ADDRESS: "allow",
      LOCATION: "pseudonymize",
      DATE_TIME: "allow",
      PERSON: "pseudonymize",
      ORGANIZATION: "pseudonymize",
    });
  });

  it("refuses a typo with the closest names", () => {
    const { policies, issues } = resolveEntityPolicies({
      CREDITCARD: "block",
      EMIAL: "block",
      XYZZY: "allow",
    });
    expect(policies).toEqual({});
    expect(issues.map((i) => i.message)).toEqual([
      'unknown entity type "CREDITCARD"; did you mean "CREDIT_CARD"?',
      'unknown entity type "EMIAL"; did you mean "EMAIL"?',
      'unknown entity type "XYZZY"',
    ]);
    expect(issues[0]!.hint).toContain("CREDIT_CARD");
  });

  it("knows the types sources declare for sensitive columns", () => {
    const declared = ["customers.loyalty_id", "DIAGNOSIS"];
    expect(resolveEntityPolicies({ CUSTOMERS_LOYALTY_ID: "block", diagnosis: "block" }, declared)).toEqual({
      policies: { CUSTOMERS_LOYALTY_ID: "block", DIAGNOSIS: "block" },
      issues: [],
    });
    expect(resolveEntityPolicies({ DIAGNOSES: "block" }, declared).issues[0]!.message).toContain(
      '"DIAGNOSIS"',
    );
    expect(canonicalEntityType("ssn")).toBe("US_SSN");
    expect(canonicalEntityType("SSN", ["ssn"])).toBe("SSN");
  });

  it("refuses two names of one type with different policies", () => {
    const { issues } = resolveEntityPolicies({ EMAIL: "allow", EMAIL_ADDRESS: "block" });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain("both name EMAIL");
  });

  it("has unique names and aliases", () => {
    const names = ENTITY_TYPES.flatMap((t) => [t.name, ...t.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });
});
