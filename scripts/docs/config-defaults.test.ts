import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/agent/agent-limits.js";
import { DEFAULT_GATEWAY_LIMITS } from "../../src/server/create-gateway.js";
import { configJsonSchema, type JsonSchema } from "./config-reference.js";

/** The config schema documents defaults that other layers apply; they must not drift apart. */
describe("documented configuration defaults", () => {
  const properties = configJsonSchema().properties!;
  const defaultsOf = (section: JsonSchema) =>
    Object.fromEntries(Object.entries(section.properties ?? {}).map(([key, prop]) => [key, prop.default]));

  it("limits: as the agent applies them", () => {
    expect(defaultsOf(properties.limits!)).toEqual(DEFAULT_LIMITS);
  });

  it("server: as the gateway applies them (and flm serve's port and host)", () => {
    const { port, host, ...limits } = defaultsOf(properties.server!);
    expect({ port, host }).toEqual({ port: 8787, host: "127.0.0.1" });
    for (const [key, value] of Object.entries(limits)) {
      expect(value, key).toBe(DEFAULT_GATEWAY_LIMITS[key as keyof typeof DEFAULT_GATEWAY_LIMITS]);
    }
    expect(Object.keys(limits).length).toBe(9);
  });
});
