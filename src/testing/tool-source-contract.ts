/**
 * The contract every ToolSource implementation passes. Call it from the source's own test
 * file with a factory and one known-good call:
 *
 *   toolSourceContract("sqlite", async () => ({ source, call: { tool: "find_customer", args: {...} } }));
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFlmError } from "../errors/flm-error.js";
import type { ToolSource } from "../tools/tool-source.js";

export interface ContractFixture {
  source: ToolSource;
  /** A call that must succeed and return something non-empty. */
  call: { tool: string; args: Record<string, unknown> };
  /** Arguments that must be refused by `validate` for the same tool. */
  invalidArgs?: Record<string, unknown>;
}

export function toolSourceContract(name: string, setup: () => Promise<ContractFixture>): void {
  describe(`ToolSource contract: ${name}`, () => {
    let fixture: ContractFixture;
    beforeAll(async () => {
      fixture = await setup();
    });
    afterAll(async () => {
      await fixture?.source.close();
    });

    it("has a name and lists tools with valid names, descriptions and object schemas", async () => {
      expect(fixture.source.name).toMatch(/\S/);
      const tools = await fixture.source.tools();
      expect(tools.length).toBeGreaterThan(0);
      const names = new Set<string>();
      for (const tool of tools) {
        expect(tool.name).toMatch(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/);
        expect(names.has(tool.name)).toBe(false);
        names.add(tool.name);
        expect(tool.description.trim().length).toBeGreaterThan(0);
        expect(tool.inputSchema.type).toBe("object");
      }
    });

    it("runs the known-good call and returns a result", async () => {
      const tools = await fixture.source.tools();
      const tool = tools.find((t) => t.name === fixture.call.tool);
      expect(tool, `tool ${fixture.call.tool} listed`).toBeDefined();
      const { value, issues } = tool!.validate(fixture.call.args);
      expect(issues).toEqual([]);
      const out = await tool!.run(value, {
        signal: new AbortController().signal,
        stepId: "s1",
        caller: { id: "u1", roles: [] },
      });
      expect(out).toBeDefined();
      expect(JSON.stringify(out).length).toBeGreaterThan(2);
    });

    it("refuses invalid arguments in validate, before anything runs", async () => {
      const tools = await fixture.source.tools();
      const tool = tools.find((t) => t.name === fixture.call.tool)!;
      const { issues } = tool.validate(fixture.invalidArgs ?? { __not_a_parameter__: { nested: true } });
      expect(issues.length).toBeGreaterThan(0);
    });

    it("honours an already-aborted signal", async () => {
      const tools = await fixture.source.tools();
      const tool = tools.find((t) => t.name === fixture.call.tool)!;
      const controller = new AbortController();
      const reason = new Error("cancelled by test");
      controller.abort(reason);
      const { value } = tool.validate(fixture.call.args);
      const error = await tool.run(value, { signal: controller.signal, stepId: "s1" }).then(
        () => undefined,
        (e: unknown) => e,
      );
      // Either the caller's own reason, or the source's typed cancellation error (SQL_ABORTED, ...).
      const typed = isFlmError(error) && /_ABORTED$|^RUN_CANCELLED$/.test(error.code);
      expect(error === reason || typed, `rejected with ${String(error)}`).toBe(true);
    });

    it("lists the same tools twice (idempotent) and closes cleanly", async () => {
      const a = (await fixture.source.tools()).map((t) => t.name);
      const b = (await fixture.source.tools()).map((t) => t.name);
      expect(b).toEqual(a);
    });
  });
}
