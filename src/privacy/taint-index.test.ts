import { describe, expect, it } from "vitest";
import { PlaceholderVault } from "./placeholder-vault.js";
import { TaintIndex } from "./taint-index.js";

describe("TaintIndex", () => {
  it("taints every string and number of a tool result, ignoring short and trivial values", () => {
    const taint = new TaintIndex();
    const added = taint.addToolResult("s2", {
      rows: [
        { id: 42, name: "Łukasz Wójcik", total: 1234.56, active: true, note: null, tag: "ok", flag: "false" },
      ],
    });
    expect(added).toBe(2);
    expect(taint.scan("customer lukasz WOJCIK spent")).toEqual([{ type: "TOOL_RESULT", origin: "s2" }]);
    expect(taint.scan("total 1234.56")).toEqual([{ type: "TOOL_RESULT", origin: "s2" }]);
    expect(taint.scan("id 42 ok false true")).toEqual([]);
  });

  it("catches fragments of long strings via token windows", () => {
    const taint = new TaintIndex({ window: 4 });
    taint.addToolResult("s1", "The patient reported severe chest pain after the accident on the highway");
    expect(taint.scan("summary: severe chest pain after, then")).toHaveLength(1);
    expect(taint.scan("chest pain")).toEqual([]);
  });

  it("holds vault originals and canaries, never reporting values", () => {
    const vault = new PlaceholderVault();
    vault.placeholderFor("PERSON", "Maria Keller");
    const taint = new TaintIndex();
    taint.addVault(vault);
    taint.add("CANARY-7f3a9", { type: "CANARY", origin: "canary" });
    const hits = taint.scan("maria keller and canary 7f3a9");
    expect(hits).toEqual([
      { type: "PERSON", origin: "placeholder" },
      { type: "CANARY", origin: "canary" },
    ]);
    expect(JSON.stringify(hits)).not.toMatch(/keller|7f3a9/i);
  });

  it("exempts values that occur in public text", () => {
    const taint = new TaintIndex();
    taint.addToolResult("s1", { status: "shipped", name: "Maria Keller" });
    taint.exempt('{"enum": ["pending", "shipped"]}');
    expect(taint.scan("status shipped for Maria Keller")).toEqual([{ type: "TOOL_RESULT", origin: "s1" }]);
    expect(taint.scan("status shipped")).toEqual([]);
  });
});
