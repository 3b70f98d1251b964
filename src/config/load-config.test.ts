import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveAgentConfigs } from "./agent-configs.js";
import { ConfigError } from "./config-error.js";
import { interpolateEnv } from "./interpolate-env.js";
import { loadConfig, parseConfig } from "./load-config.js";
import { redactSecrets } from "./redact-secrets.js";

const dir = mkdtempSync(join(tmpdir(), "flm-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("reports key path, expectation and what was found", () => {
    const issues = issuesOf(() =>
      parseConfig({
        generator: "ollama:qwen2.5:3b",
        planner: { provider: "opnai", model: "x" },
        tools: [
          {
            kind: "sql",
            name: "db",
            driver: "sqlite",
            path: "a.db",
            queries: [{ name: "q", description: "d", sql: 5 }],
          },
          { kind: "ftp", name: "x" },
        ],
        server: { port: "80", prot: 1 },
      }),
    );
    expect(issues).toContain("tools[0].queries[0].sql: expected a string, found number");
    expect(
      issues.some((i) => i.startsWith("planner.provider: expected") && i.includes('found "opnai"')),
    ).toBe(true);
    expect(
      issues.some((i) => i.startsWith("tools[1].kind: expected sql | mongo") && i.includes('"ftp"')),
    ).toBe(true);
    expect(issues).toContain("server.port: expected a number, found string");
    expect(issues.some((i) => i.startsWith("server.prot: unknown key"))).toBe(true);
  });

  it("reads privacy durations and refuses unknown entity types by key path (#11)", () => {
    const privacy = (p: Record<string, unknown>) =>
      parseConfig({ generator: "ollama:m", privacy: p }).privacy;
    expect(privacy({ answerTaintTtl: "24h", refreshIntervalMs: 60_000 })).toMatchObject({
      answerTaintTtl: 86_400_000,
      refreshIntervalMs: 60_000,
    });
    expect(privacy({ answerTaintTtl: "90s" })?.answerTaintTtl).toBe(90_000);
    expect(privacy({ answerTaintTtl: 5000 })?.answerTaintTtl).toBe(5000);
    expect(issuesOf(() => privacy({ answerTaintTtl: "a day" }))[0]).toMatch(/^privacy\.answerTaintTtl:/);
    const typo = issuesOf(() => privacy({ entities: { CREDITCARD: "block", RESULT_VALUE: "allow" } }));
    expect(typo[0]).toMatch(
      /^privacy\.entities\.CREDITCARD: unknown entity type "CREDITCARD"; did you mean "CREDIT_CARD"\?/,
    );
    expect(typo[1]).toMatch(/^privacy\.entities\.RESULT_VALUE: RESULT_VALUE cannot be "allow"/);
  });

  it("interpolates ${VAR} and ${VAR:-default}, reporting missing variables by key path", () => {
    expect(interpolateEnv({ a: ["x-${A}-${B:-b}"] }, { A: "1" })).toEqual({ a: ["x-1-b"] });
    const issues = issuesOf(() =>
      parseConfig({ generator: "ollama:m", users: [{ token: "${NOPE_TOKEN}", id: "u" }] }, { env: {} }),
    );
    expect(issues).toEqual(["users[0].token: environment variable NOPE_TOKEN is not set"]);
  });

  it("finds flm.config.yaml in the working directory and resolves paths against it", async () => {
    writeFileSync(
      join(dir, "flm.config.yaml"),
      "generator: http://127.0.0.1:9/v1#m\nplanner: local\ntools: []\n",
    );
    const config = await loadConfig(undefined, { cwd: dir });
    expect(config.generator).toBe("http://127.0.0.1:9/v1#m");
    expect(config.source.dir).toBe(dir);
    await expect(loadConfig(undefined, { cwd: join(dir, "..", "nowhere-flm") })).rejects.toMatchObject({
      code: "CONFIG_NOT_FOUND",
    });
  });

  it("loads a .mjs config by dynamic import", async () => {
    const file = join(dir, "flm.config.mjs");
    writeFileSync(file, 'export default { generator: "ollama:qwen2.5:3b", limits: { maxSteps: 3 } };\n');
    const config = await loadConfig(file);
    expect(config.limits?.maxSteps).toBe(3);
  });

  it("redacts secrets from anything printed", () => {
    const config = parseConfig(
      {
        generator: {
          provider: "openai-compatible",
          model: "m",
          baseURL: "http://127.0.0.1:1/v1",
          apiKey: "${K}",
        },
        tools: [{ kind: "sql", name: "pg", driver: "postgres", url: "postgres://flm:hunter22@db:5432/x" }],
        users: [{ token: "tok-0123456789", id: "alice", roles: ["a"] }],
      },
      { env: { K: "local-key-abcdef" } },
    );
    const printed = JSON.stringify(redactSecrets(config, config.secrets));
    expect(printed).not.toContain("local-key-abcdef");
    expect(printed).not.toContain("hunter22");
    expect(printed).not.toContain("tok-0123456789");
    expect(printed).toContain("postgres://flm:***@db:5432/x");
    expect(redactSecrets("Authorization: Bearer abcdef123456 and sk-proj-abcdefghijkl")).toBe(
      "Authorization: Bearer *** and ***",
    );
    expect(redactSecrets("the error mentioned local-key-abcdef", config.secrets)).toBe(
      "the error mentioned ***",
    );
  });
});

describe("in-process generator options", () => {
  it("accepts sequences and threads for a llama generator, and names the key path of a bad one", () => {
    const ok = parseConfig(
      { generator: { provider: "llama", modelPath: "m.gguf", sequences: 2, threads: 4 } },
      { env: {} },
    );
    expect(ok.generator).toMatchObject({ sequences: 2, threads: 4 });
    let message = "";
    try {
      parseConfig({ generator: { provider: "llama", modelPath: "m.gguf", sequences: 0 } }, { env: {} });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("generator.sequences");
  });
});

describe("answer.onUngrounded", () => {
  it("defaults to flag, is inherited by agents key by key, and refuses an unknown action", () => {
    const config = parseConfig(
      {
        generator: "ollama:qwen2.5:3b",
        answer: { onUngrounded: "retry" },
        agents: { strict: { answer: { onUngrounded: "refuse" } }, loose: {} },
      },
      { env: {} },
    );
    const answers = Object.fromEntries(resolveAgentConfigs(config).map((a) => [a.name, a.answer]));
    expect(answers).toEqual({
      flm: { onUngrounded: "retry" },
      strict: { onUngrounded: "refuse" },
      loose: { onUngrounded: "retry" },
    });
    expect(resolveAgentConfigs(parseConfig({ generator: "x:y" }, { env: {} }))[0]!.answer).toEqual({});
    expect(() => parseConfig({ generator: "x:y", answer: { onUngrounded: "ignore" } }, { env: {} })).toThrow(
      /answer\.onUngrounded/,
    );
  });
});
