/**
 * Issue 17: losing PostgreSQL for a few seconds. The gateway's shared state (answer taint,
 * conversation placeholders, per-user limits) and its audit log reach the database through a TCP
 * proxy this test cuts and restores (the shared server is never touched). While it is cut,
 * requests fail cleanly: 503 with retry-after and a typed code, nothing sent to the cloud, no
 * half-written audit record; once it is back, the same gateway serves again without a restart.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PG_URL, pgTestSchemas } from "../helpers/pg-test-schemas.js";
import { startPrivacyGateway } from "../helpers/privacy-gateway.js";
import { startTcpProxy } from "../helpers/tcp-proxy.js";
import { openPgPool } from "../../src/postgres/pg-pool.js";
import { generateAuditKey } from "../../src/privacy/audit/audit-key.js";
import { openAuditLog } from "../../src/privacy/audit/open-audit-log.js";
import { PostgresAnswerTaintStore } from "../../src/privacy/answer-taint/postgres-answer-taint-store.js";
import { PostgresConversationVaultStore } from "../../src/privacy/conversation/postgres-conversation-vault-store.js";
import { PostgresUserLimitStore } from "../../src/server/postgres-user-limit-store.js";

const schemas = pgTestSchemas("outage");
afterAll(() => schemas.dropAll());

describe.skipIf(!PG_URL)("PostgreSQL lost for a few seconds", () => {
  it("fails requests with a typed 503, sends and half-writes nothing, and recovers without a restart", async () => {
    const target = new URL(PG_URL!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = proxy.rewrite(PG_URL!);
    const schema = schemas.next();
    const auditSchema = `${schema}_audit`;
    const pool = await openPgPool({ url, connectTimeoutMs: 1_000 });
    const keyPath = join(mkdtempSync(join(tmpdir(), "flm-outage-")), "audit-key.pem");
    generateAuditKey(keyPath);
    const audit = await openAuditLog({ kind: "postgres", url, schema: auditSchema }, { keyPath });
    const taint = await PostgresAnswerTaintStore.open({ pool, schema, pruneIntervalMs: 0 });
    const conversations = await PostgresConversationVaultStore.open({ pool, schema, pruneIntervalMs: 0 });
    const limits = await PostgresUserLimitStore.open({ pool, schema, pruneIntervalMs: 0 });
    const gw = await startPrivacyGateway({
      privacy: { audit, answerTaint: { store: taint }, conversations: { store: conversations } },
      gateway: { userLimits: limits, limits: { requestsPerMinute: 1_000, runsInFlight: 10 } },
    });
    const ask = () =>
      fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${gw.token}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "flm-default",
          messages: [{ role: "user", content: "Who is Maria Keller?" }],
        }),
      });
    const records = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        return Number((await c.query(`SELECT count(*) AS n FROM "${auditSchema}".audit_records`)).rows[0].n);
      } finally {
        await c.end();
      }
    };
    try {
      expect((await ask()).status).toBe(200);
      const cloudBefore = gw.models.cloud.requests.length;
      const recordsBefore = await records();
      expect(recordsBefore).toBe(cloudBefore);

      proxy.cut();
      for (let i = 0; i < 3; i++) {
        const res = await ask();
        expect(res.status).toBe(503);
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        const body = (await res.json()) as { error: { code: string } };
        expect(["STATE_STORE_UNAVAILABLE", "ANSWER_TAINT_UNAVAILABLE", "AUDIT_STORE_UNAVAILABLE"]).toContain(
          body.error.code.toUpperCase(),
        );
      }
      expect(gw.models.cloud.requests.length).toBe(cloudBefore);

      proxy.restore();
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = (await ask()).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe(200);
      // Every request that reached the cloud has its record; none was half-written.
      expect(await records()).toBe(gw.models.cloud.requests.length);
      expect((await audit.verify()).ok).toBe(true);
    } finally {
      await gw.close();
      await Promise.all([taint.close(), conversations.close(), limits.close()]);
      await audit.close();
      await pool.end();
      await proxy.close();
    }
  });
});
