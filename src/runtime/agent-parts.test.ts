import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/load-config.js";
import { canPrefill } from "../models/prompt-prefill.js";
import { createTrustPolicy } from "../privacy/trust-policy.js";
import { createAgentParts } from "./agent-parts.js";

const config = parseConfig({ planner: "local", generator: "http://127.0.0.1:9/v1#local" });
const parts = () => createAgentParts({ config, env: {}, closers: [], trust: createTrustPolicy() });

describe("generators read their answer prompt ahead where that helps", () => {
  it("on by default for local servers (warm-up requests), off for cloud-provider models", async () => {
    const server = await parts().generator("http://127.0.0.1:9/v1#local", "generator");
    expect(server.prefill).toBe(true);
    expect(canPrefill(server.model)).toBe(true);
    const ollama = await parts().generator("ollama:qwen2.5:3b", "generator");
    expect([ollama.prefill, canPrefill(ollama.model)]).toEqual([true, true]);
    const openai = await parts().generator(
      { provider: "openai", model: "gpt-x", baseURL: "http://127.0.0.1:9/v1", apiKey: "k" },
      "generator",
    );
    expect([openai.prefill, canPrefill(openai.model)]).toEqual([false, false]);
  });

  it("follows an explicit prefill setting", async () => {
    const off = await parts().generator(
      { provider: "openai-compatible", model: "m", baseURL: "http://127.0.0.1:9/v1", prefill: false },
      "generator",
    );
    expect([off.prefill, canPrefill(off.model)]).toEqual([false, false]);
    const on = await parts().generator(
      { provider: "openai", model: "gpt-x", baseURL: "http://127.0.0.1:9/v1", apiKey: "k", prefill: true },
      "generator",
    );
    expect([on.prefill, canPrefill(on.model)]).toEqual([true, true]);
  });

  it("plans in compact lines with tool signatures unless configured otherwise", async () => {
    const p = parts();
    const generator = (await p.generator("http://127.0.0.1:9/v1#local", "generator")).model;
    const compact = await p.planner("http://127.0.0.1:8/v1#cloud", "planner", "g", generator);
    expect(compact.planner.name).toMatch(/\(compact\)$/);
    const json = await p.planner(
      { provider: "openai-compatible", model: "cloud", baseURL: "http://127.0.0.1:8/v1", mode: "json" },
      "planner",
      "g",
      generator,
    );
    expect(json.planner.name).not.toMatch(/\(/);
  });
});
