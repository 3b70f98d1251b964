import OpenAI from "openai";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { reply } from "../../test/helpers/fake-openai-server.js";
import { PG_URL, pgTestSchemas } from "../../test/helpers/pg-test-schemas.js";
import { createAgent } from "../agent/create-agent.js";
import { createGateway, type ListeningGateway } from "./create-gateway.js";
import { MemoryUserLimitStore } from "./memory-user-limit-store.js";
import { PostgresUserLimitStore } from "./postgres-user-limit-store.js";
import type { UserLimitStore, UserLimits } from "./user-limits.js";

const schemas = pgTestSchemas("gw_limits");
afterAll(() => schemas.dropAll());

const ALICE = "alice-token-0123456789";
const BOB = "bob-token-0123456789";
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function replicas(
  stores: UserLimitStore[],
  limits: UserLimits,
): Promise<{ urls: string[]; models: FakeModels }> {
  const models = await startFakeModels();
  cleanup.push(() => models.close());
  models.cloud.handle(() => reply.json({ steps: [] }));
  models.local.handle(() => reply.text("Nothing to look up."));
  const urls: string[] = [];
  for (const store of stores) {
    const agent = createAgent({ planner: models.planner, generator: models.generator, tools: [] });
    const gw: ListeningGateway = await createGateway({
      agents: { flm: agent },
      users: [
        { token: ALICE, id: "alice", roles: [], limits },
        { token: BOB, id: "bob", roles: [] },
      ],
      userLimits: store,
      onError: () => {},
    }).listen({ port: 0 });
    cleanup.push(() => gw.close({ drainTimeoutMs: 50 }));
    urls.push(gw.url);
  }
  return { urls, models };
}

const ask = (url: string, token: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "flm", messages: [{ role: "user", content: "How many open orders?" }] }),
  });

describe("per-user limits at the gateway", () => {
  it("refuses a user's requests beyond requestsPerMinute with 429 and retry-after; other users are not limited", async () => {
    const { urls } = await replicas([new MemoryUserLimitStore()], { requestsPerMinute: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await ask(urls[0]!, ALICE)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await ask(urls[0]!, ALICE);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("rate_limit_exceeded");
    expect(body.error.message).toContain("requests per minute");
    expect((await ask(urls[0]!, BOB)).status).toBe(200);
    const metrics = await (await fetch(`${urls[0]}/metrics`)).text();
    expect(metrics).toMatch(/flm_user_limited_total\{limit="requestsPerMinute"\} 2/);
  });

  it("the official openai client sees a RateLimitError", async () => {
    const { urls } = await replicas([new MemoryUserLimitStore()], { requestsPerMinute: 1 });
    const client = new OpenAI({ baseURL: `${urls[0]}/v1`, apiKey: ALICE, maxRetries: 0 });
    await client.chat.completions.create({ model: "flm", messages: [{ role: "user", content: "hi there" }] });
    const error = await client.chat.completions
      .create({ model: "flm", messages: [{ role: "user", content: "hi there" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it.skipIf(!PG_URL)(
    "hold across replicas sharing PostgreSQL: requests per minute and cloud tokens per day",
    async () => {
      const schema = schemas.next();
      const stores = await Promise.all(
        [0, 1, 2].map(() => PostgresUserLimitStore.open({ url: PG_URL, schema, pruneIntervalMs: 0 })),
      );
      cleanup.push(() => Promise.all(stores.map((s) => s.close())));
      const { urls } = await replicas(stores, { requestsPerMinute: 4 });
      const statuses = await Promise.all(
        Array.from({ length: 12 }, (_, i) => ask(urls[i % 3]!, ALICE).then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(4);
      expect(statuses.filter((s) => s === 429)).toHaveLength(8);
    },
  );

  it.skipIf(!PG_URL)("a day's cloud token budget used on one replica refuses runs on another", async () => {
    const schema = schemas.next();
    const stores = await Promise.all(
      [0, 1].map(() => PostgresUserLimitStore.open({ url: PG_URL, schema, pruneIntervalMs: 0 })),
    );
    cleanup.push(() => Promise.all(stores.map((s) => s.close())));
    const { urls } = await replicas(stores, { cloudTokensPerDay: 1 });
    expect((await ask(urls[0]!, ALICE)).status).toBe(200); // the planner's tokens are counted
    const refused = await ask(urls[1]!, ALICE);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      "cloud tokens per day",
    );
  });
});
