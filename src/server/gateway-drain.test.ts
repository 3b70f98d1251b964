import { afterEach, describe, expect, it } from "vitest";
import { type FakeModels, startFakeModels } from "../../test/helpers/fake-models.js";
import { reply } from "../../test/helpers/fake-openai-server.js";
import { createAgent } from "../agent/create-agent.js";
import { createGateway } from "./create-gateway.js";

const TOKEN = "drain-token-0123456789";
let models: FakeModels | undefined;
afterEach(async () => {
  await models?.close();
  models = undefined;
});

describe("draining with drainDelayMs", () => {
  it("answers 503 to health checks and new requests while the running one finishes, then stops listening", async () => {
    models = await startFakeModels();
    let releaseAnswer!: () => void;
    const answerGate = new Promise<void>((r) => (releaseAnswer = r));
    models.cloud.handle(() => reply.json({ steps: [] }));
    models.local.handle(async () => {
      await answerGate;
      return reply.text("Finished.");
    });
    const agent = createAgent({ planner: models.planner, generator: models.generator, tools: [] });
    const gw = await createGateway({
      agents: { flm: agent },
      users: [{ token: TOKEN, id: "alice", roles: [] }],
      limits: { drainDelayMs: 600, drainTimeoutMs: 10_000 },
      onError: () => {},
    }).listen({ port: 0 });
    const ask = () =>
      fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "flm", messages: [{ role: "user", content: "How are things?" }] }),
      });
    const running = ask();
    await models.local.received(1);
    const closed = gw.close();
    // During the delay the gateway still listens, and says it is going away.
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { status: string }).status).toBe("draining");
    const health = await fetch(`${gw.url}/healthz`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { status: string }).status).toBe("draining");
    const refused = await ask();
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("server_shutting_down");
    expect(refused.headers.get("retry-after")).toBe("1");
    releaseAnswer();
    expect((await running).status).toBe(200);
    await closed;
    const after = await fetch(`${gw.url}/healthz`, { headers: { connection: "close" } }).catch(
      (e: unknown) => e,
    );
    expect(after).toBeInstanceOf(TypeError); // fetch failed: nobody listens any more
    expect(["ECONNREFUSED", "UND_ERR_SOCKET", "ECONNRESET"]).toContain(
      (after as { cause?: { code?: string } }).cause?.code,
    );
  });
});
