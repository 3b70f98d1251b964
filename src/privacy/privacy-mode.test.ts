import { describe, expect, it } from "vitest";
import { PlaceholderVault } from "./placeholder-vault.js";
import { createModePseudonymizer, publicTermsOf } from "./privacy-mode.js";

describe("privacy modes", () => {
  const tools = [
    {
      name: "find_invoices_byVendor",
      description: "Invoices of a vendor in Quorvant ERP",
      inputSchema: {
        type: "object" as const,
        properties: { vendorCode: { type: "string" as const, enum: ["ACME-9", "zeltron"] } },
      },
    },
  ];

  it("collects the words of tool names, descriptions, properties and enums", () => {
    const terms = publicTermsOf(tools);
    for (const w of [
      "find",
      "invoices",
      "by",
      "vendor",
      "find_invoices_byvendor",
      "quorvant",
      "vendorcode",
      "zeltron",
      "acme-9",
    ])
      expect(terms, w).toContain(w);
    expect(terms).not.toContain("object");
  });

  it("standard keeps unknown words; strict replaces them unless the tools name them", () => {
    const text = "which quorvant invoices did vendor zeltron send about brimwell?";
    const standard = createModePseudonymizer({ mode: "standard" }).pseudonymize(text, new PlaceholderVault());
    expect(standard.text).toBe(text);
    const strict = createModePseudonymizer({ mode: "strict" }).pseudonymize(text, new PlaceholderVault(), {
      publicTerms: publicTermsOf(tools),
    });
    expect(strict.text).toBe("which quorvant invoices did vendor zeltron send about <TERM_1>?");
  });
});
