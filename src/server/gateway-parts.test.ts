import { describe, expect, it } from "vitest";
import { FlmError } from "../errors/flm-error.js";
import { gatewayErrorFor } from "./gateway-errors.js";
import { parseChatRequest } from "./openai-wire.js";
import { createTokenAuth } from "./token-auth.js";

describe("token auth", () => {
  const auth = createTokenAuth([
    { token: "token-aaaaaaaa", id: "a", roles: ["r1"] },
    { token: "token-bbbbbbbb", id: "b", roles: [] },
  ]);
  it("maps bearer tokens to callers and refuses everything else", () => {
    expect(auth("Bearer token-bbbbbbbb")).toMatchObject({ id: "b", roles: [] });
    expect(auth("bearer token-aaaaaaaa")).toMatchObject({ id: "a", roles: ["r1"] });
    for (const h of [
      undefined,
      "",
      "Bearer",
      "Bearer token-aaaaaaa",
      "Basic token-aaaaaaaa",
      "token-aaaaaaaa",
      "Bearer token-aaaaaaaa x",
    ]) {
      expect(auth(h)).toBeUndefined();
    }
  });
  it("rejects short and duplicate tokens at startup", () => {
    expect(() => createTokenAuth([{ token: "short", id: "x", roles: [] }])).toThrow(/shorter than 8/);
    expect(() =>
      createTokenAuth([
        { token: "same-token-1", id: "x", roles: [] },
        { token: "same-token-1", id: "y", roles: [] },
      ]),
    ).toThrow(/share a token/);
  });
});

describe("error mapping", () => {
  it("maps flm codes and gateway aborts to statuses", () => {
    const status = (code: string) => gatewayErrorFor(new FlmError(code, "m"), undefined, 1000).status;
    expect(status("PLAN_INVALID")).toBe(502);
    expect(status("PLANNER_FAILED")).toBe(502);
    expect(status("PLANNER_TIMEOUT")).toBe(504);
    expect(status("EGRESS_BLOCKED")).toBe(403);
    expect(status("PRIVACY_POLICY_BLOCKED")).toBe(400);
    expect(status("SQL_CONFIG_INVALID")).toBe(500);
    expect(gatewayErrorFor(new FlmError("RUN_CANCELLED", "m"), "timeout", 1000)).toMatchObject({
      status: 504,
      code: "request_timeout",
    });
    expect(gatewayErrorFor(new FlmError("RUN_CANCELLED", "m"), "shutdown", 1000).status).toBe(503);
    const unknown = gatewayErrorFor(new Error("secret detail"), undefined, 1000);
    expect(unknown.status).toBe(500);
    expect(unknown.message).not.toContain("secret detail");
  });
});

describe("parseChatRequest", () => {
  it("takes the last user turn as the prompt, earlier turns as history, and drops system messages", () => {
    const r = parseChatRequest(
      {
        model: "m",
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: "system", content: "sys" },
          {
            role: "user",
            content: [
              { type: "text", text: "a" },
              { type: "text", text: "b" },
            ],
          },
          { role: "assistant", content: "c" },
          { role: "user", content: "d" },
        ],
      },
      100,
    );
    expect(r).toEqual({
      model: "m",
      prompt: "d",
      history: [
        { role: "user", content: "a\nb" },
        { role: "assistant", content: "c" },
      ],
      stream: true,
      includeUsage: true,
    });
  });
});
