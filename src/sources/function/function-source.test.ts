import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toolSourceContract } from "../../testing/tool-source-contract.js";
import { defineTool } from "../../tools/define-tool.js";
import { createFunctionSource } from "./function-source.js";

const add = defineTool({
  name: "add",
  description: "Adds two numbers",
  input: z.object({ a: z.number(), b: z.number() }).strict(),
  run: ({ a, b }) => ({ sum: a + b }),
});
const whoami = defineTool({
  name: "whoami",
  description: "Returns the caller id",
  input: z.object({}),
  run: (_input, context) => ({ id: context.caller?.id }),
});

toolSourceContract("function source", async () => ({
  source: createFunctionSource("helpers", [add, whoami]),
  call: { tool: "add", args: { a: 1, b: 2 } },
}));

describe("createFunctionSource", () => {
  it("tags tools with the source and passes the caller through", async () => {
    const source = createFunctionSource("helpers", [add, whoami]);
    const tools = await source.tools();
    expect(tools.map((t) => [t.name, t.source])).toEqual([
      ["add", "function:helpers"],
      ["whoami", "function:helpers"],
    ]);
    const out = await tools[1].run(
      {},
      { signal: new AbortController().signal, stepId: "s", caller: { id: "u7", roles: [] } },
    );
    expect(out).toEqual({ id: "u7" });
    await source.close();
    await expect(source.tools()).rejects.toMatchObject({ code: "SOURCE_CLOSED" });
  });

  it("refuses duplicate tool names", () => {
    expect(() => createFunctionSource("helpers", [add, add])).toThrow(/two tools named "add"/);
  });
});
