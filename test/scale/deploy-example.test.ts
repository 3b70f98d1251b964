/**
 * The deployment example (docs/deploy/): its flm config loads and validates, and the compose
 * file mounts it and runs the replicas as the guide says. The compose file itself cannot run here
 * (no Docker engine); the topology runs as processes in replicas-e2e.test.ts.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";

const DEPLOY = resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/deploy");
const env = {
  FLM_STATE_URL: "postgres://flm:secret@postgres:5432/flm",
  CRM_DATABASE_URL: "postgres://crm_reader:secret@crm-db.internal:5432/crm",
  FLM_TOKEN_ALICE: "alice-token-0123456789",
  FLM_TOKEN_OPS: "ops-token-0123456789",
};

describe("docs/deploy example", () => {
  it("flm.config.yaml loads and validates: shared state, one audit log, drain settings, per-user limits", async () => {
    const config = await loadConfig(join(DEPLOY, "flm.config.yaml"), { env });
    expect(config.state).toMatchObject({
      url: env.FLM_STATE_URL,
      conversationTtl: 24 * 3_600_000,
      poolSize: 8,
    });
    expect(config.audit?.url).toBe(env.FLM_STATE_URL);
    expect(config.server).toMatchObject({ host: "0.0.0.0", drainDelayMs: 5000, drainTimeoutMs: 20000 });
    expect(config.users?.find((u) => u.id === "alice")?.limits).toEqual({
      requestsPerMinute: 30,
      runsInFlight: 4,
      cloudTokensPerDay: 500000,
    });
  });

  it("docker-compose.yml runs three replicas on that config, with a grace period above the drain", () => {
    const compose = readFileSync(join(DEPLOY, "docker-compose.yml"), "utf8");
    expect(compose).toMatch(/replicas: 3/);
    expect(compose).toContain("./flm.config.yaml:/etc/flm/flm.config.yaml:ro");
    const grace = Number(/stop_grace_period: (\d+)s/.exec(compose)?.[1]);
    expect(grace * 1000).toBeGreaterThan(5000 + 20000);
    for (const file of ["nginx-flm.conf", "nginx-models.conf"]) expect(compose).toContain(`./${file}`);
  });
});
