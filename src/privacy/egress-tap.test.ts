import { describe, expect, it } from "vitest";
import { type RunScope, withRunScope } from "../core/run-scope.js";
import { createEgressTap } from "./egress-tap.js";
import { EgressBlockedError } from "./privacy-errors.js";

describe("egress tap", () => {
  const scope = (): RunScope => ({ runId: "r1", egress: [] });
  const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hello SECRET-VALUE" }] });

  it("records the exact bytes of an allowed request", async () => {
    const s = scope();
    const tap = createEgressTap(async () => new Response("{}"));
    await withRunScope(s, () => tap("https://api.example.com/v1/chat/completions", { method: "POST", body }));
    expect(s.egress).toHaveLength(1);
    expect(s.egress[0]).toMatchObject({
      host: "api.example.com",
      purpose: "plan",
      body,
      decision: "allowed",
    });
    expect(s.egress[0].bytes).toBe(Buffer.byteLength(body));
  });

  it("keeps only the size and hash of a blocked request, never its body", async () => {
    const s = scope();
    const tap = createEgressTap(async () => {
      throw new EgressBlockedError("api.example.com", [{ type: "CANARY", origin: "canary" }]);
    });
    const error = await withRunScope(s, () =>
      tap("https://api.example.com/v1/x", { method: "POST", body }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(EgressBlockedError);
    expect(s.egress[0].decision).toBe("blocked");
    expect(s.egress[0].hits).toEqual([{ type: "CANARY", origin: "canary" }]);
    expect(s.egress[0].body).not.toContain("SECRET-VALUE");
    expect(s.egress[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
