import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PG_URL, pgTestSchemas } from "../../test/helpers/pg-test-schemas.js";
import { isFlmError } from "../errors/flm-error.js";
import { loadConfig } from "../config/load-config.js";
import { buildRuntime } from "./build-runtime.js";

const schemas = pgTestSchemas("runtime_state");
afterAll(() => schemas.dropAll());
const dir = mkdtempSync(join(tmpdir(), "flm-state-"));

async function configWith(state: unknown) {
  const file = join(dir, `flm-${Math.random().toString(36).slice(2)}.config.json`);
  writeFileSync(file, JSON.stringify({ planner: "local", generator: "http://127.0.0.1:9/v1#local", state }));
  return loadConfig(file);
}

describe("state.url", () => {
  it("is refused at load time unless it is a postgres:// URL", async () => {
    const error = await configWith({ url: "mysql://x/y" }).catch((e: unknown) => e);
    expect(isFlmError(error) && error.code).toBe("CONFIG_INVALID");
    expect(String(error)).toContain("state.url");
  });

  it.skipIf(!PG_URL)("opens the shared stores in its schema, with their tables migrated", async () => {
    const schema = schemas.next();
    const runtime = await buildRuntime(await configWith({ url: PG_URL, schema, conversationTtl: "2h" }), {
      env: {},
    });
    try {
      expect(runtime.state?.schema).toBe(schema);
      await runtime.state!.answerTaint.add("user:alice", [
        { value: "Maria Keller", type: "RESULT_VALUE", origin: "r/s1", expiresAt: Date.now() + 60_000 },
      ]);
      const raw = new pg.Client({ connectionString: PG_URL });
      await raw.connect();
      try {
        const { rows } = await raw.query(
          `SELECT component, version FROM "${schema}".flm_migrations ORDER BY component`,
        );
        expect(rows).toEqual([
          { component: "answer-taint", version: 1 },
          { component: "conversations", version: 1 },
        ]);
        const taint = await raw.query(`SELECT subject FROM "${schema}".answer_taint`);
        expect(taint.rows).toEqual([{ subject: "user:alice" }]);
      } finally {
        await raw.end();
      }
    } finally {
      await runtime.close();
    }
  });
});
