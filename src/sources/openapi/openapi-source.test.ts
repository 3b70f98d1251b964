import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { toolSourceContract } from "../../testing/tool-source-contract.js";
import {
  type OrdersService,
  ordersDocument,
  startOrdersService,
} from "../../../test/helpers/openapi-orders-service.js";
import { isFlmError } from "../../errors/flm-error.js";
import { executePlan } from "../../execute/scheduler.js";
import type { Caller } from "../../tools/caller.js";
import type { Tool } from "../../tools/tool.js";
import { createOpenApiSource, type OpenApiToolSource } from "./openapi-source.js";

const alice: Caller = { id: "alice", roles: ["customer"] };
const auth = { Authorization: "Bearer secret-token" };

let service: OrdersService;
const dir = mkdtempSync(join(tmpdir(), "flm-openapi-"));
const yamlPath = join(dir, "orders.yaml");
beforeAll(async () => {
  service = await startOrdersService();
  // The YAML copy has no servers: baseUrl comes from configuration.
  writeFileSync(yamlPath, stringify(ordersDocument()));
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(tools: Tool[], name: string, args: Record<string, unknown>, caller: Caller = alice) {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name} in ${tools.map((t) => t.name).join(", ")}`);
  const { value, issues } = tool.validate(args);
  expect(issues).toEqual([]);
  return tool.run(value, { signal: new AbortController().signal, stepId: "s1", caller });
}

toolSourceContract("openapi: orders service (document from URL)", async () => ({
  source: createOpenApiSource({
    name: "orders",
    spec: `${service.baseUrl}/openapi.json`,
    headers: auth,
    identity: { header: "X-User-Id" },
  }),
  call: { tool: "get_echo_name", args: { name: "contract", tags: ["a"] } },
  invalidArgs: { name: 42 },
}));

describe("OpenAPI source: tools from the document", () => {
  let source: OpenApiToolSource;
  beforeAll(() => {
    source = createOpenApiSource({
      name: "orders",
      spec: `${service.baseUrl}/openapi.json`,
      headers: auth,
      identity: { header: "X-User-Id" },
    });
  });
  afterAll(() => source.close());

  it("names tools by operationId or method_path and describes them by summary", async () => {
    const tools = await source.tools();
    expect(tools.map((t) => t.name)).toEqual([
      "listOrders",
      "createOrder",
      "getOrder",
      "get_echo_name",
      "boom",
      "slow",
    ]);
    expect(tools[0].description).toBe("List the caller's orders");
    expect(tools[0].source).toBe("openapi:orders");
    // Only reads may start while the plan is still streaming; a POST waits for the whole plan.
    expect(tools.filter((t) => t.sideEffects).map((t) => t.name)).toEqual(["createOrder"]);
    expect(await source.skipped()).toEqual([
      { method: "POST", path: "/upload", reason: expect.stringContaining("multipart/form-data") },
    ]);
  });

  it("builds planner schemas with params, $ref'd components, body and required, minus bound headers", async () => {
    const tools = await source.tools();
    const list = tools.find((t) => t.name === "listOrders")!;
    expect(Object.keys(list.inputSchema.properties!)).toEqual(["status", "ownerId", "limit"]);
    expect(list.inputSchema.properties!.limit).toEqual({ type: "integer", minimum: 1, maximum: 100 });
    expect(list.inputSchema.required).toBeUndefined();
    const create = tools.find((t) => t.name === "createOrder")!;
    expect(create.inputSchema.required).toEqual(["body"]);
    expect(create.inputSchema.properties!.body).toMatchObject({ required: ["item", "qty"] });
    // OpenAPI 3.0 `nullable` is read as a "null" type.
    expect(create.validate({ body: { item: "x", qty: 1, note: null } }).issues).toEqual([]);
    expect(create.validate({ body: { item: "x", qty: 0 } }).issues.length).toBeGreaterThan(0);
    const get = tools.find((t) => t.name === "getOrder")!;
    expect(get.inputSchema.required).toEqual(["orderId"]);
  });

  it("sends path, query (repeated arrays), header and body params, and the configured auth header", async () => {
    const tools = await source.tools();
    expect(await call(tools, "get_echo_name", { name: "a b/c", tags: ["x", "y"], "X-Trace": "t-1" })).toEqual(
      {
        name: "a b/c",
        tags: ["x", "y"],
        trace: "t-1",
      },
    );
    expect(service.requests.at(-1)!.url).toBe("/echo/a%20b%2Fc?tags=x&tags=y");
    expect(service.requests.at(-1)!.headers.authorization).toBe("Bearer secret-token");
    const created = await call(tools, "createOrder", { body: { item: "scones", qty: 2 } });
    expect(created).toMatchObject({ item: "scones", qty: 2, owner: "alice" });
    expect(service.requests.at(-1)!.headers["content-type"]).toBe("application/json");
    expect(await call(tools, "getOrder", { orderId: "o1" })).toMatchObject({ id: "o1", item: "tea" });
  });

  it("turns 404 and 500 into step failures with status and a body excerpt", async () => {
    const tools = await source.tools();
    const missing: any = await call(tools, "getOrder", { orderId: "nope" }).catch((e: any) => e);
    expect(isFlmError(missing, "OPENAPI_HTTP_ERROR")).toBe(true);
    expect(missing.status).toBe(404);
    expect(missing.message).toMatch(
      /GET \/orders\/\{orderId\} on "orders" answered HTTP 404.*order nope not found/,
    );
    const boom: any = await call(tools, "boom", {}).catch((e: any) => e);
    expect(boom.status).toBe(500);
    expect(boom.message).toContain("database is on fire");
  });

  it("refuses dot segments in path parameters, so a call cannot climb to another operation", async () => {
    const tools = await source.tools();
    const before = service.requests.length;
    for (const orderId of ["..", "."]) {
      const error: any = await call(tools, "getOrder", { orderId }).catch((e: any) => e);
      expect(isFlmError(error, "OPENAPI_REQUEST_FAILED")).toBe(true);
      expect(error.message).toContain(`may not be "${orderId}"`);
    }
    expect(service.requests.length).toBe(before);
  });

  it("times out a slow operation with OPENAPI_TIMEOUT", async () => {
    const quick = createOpenApiSource({
      name: "orders",
      spec: service.document,
      headers: auth,
      timeoutMs: 300,
    });
    const error: any = await call(await quick.tools(), "slow", {}).catch((e: any) => e);
    expect(isFlmError(error, "OPENAPI_TIMEOUT")).toBe(true);
  });

  it("obeys the agent's step timeout, not its own 30 s default", async () => {
    const tools = new Map((await source.tools()).map((t) => [t.name, t]));
    const t0 = performance.now();
    const [outcome] = await executePlan(
      { mode: "json", steps: [{ id: "s1", tool: "slow", args: {} }] },
      { tools, stepTimeoutMs: 300, caller: alice },
    );
    expect(outcome).toMatchObject({ status: "timeout", error: { code: "STEP_TIMEOUT" } });
    expect(performance.now() - t0).toBeLessThan(1_500);
  });

  it("reports title, version and counts in check()", async () => {
    expect(await source.check!()).toEqual({ ok: true, detail: "Orders 1.4.0, 6 operation(s), 1 skipped" });
  });
});

describe("OpenAPI source: identity binding", () => {
  let source: OpenApiToolSource;
  beforeAll(() => {
    // Loaded from the YAML file, with the base URL from configuration.
    source = createOpenApiSource({
      name: "orders",
      spec: yamlPath,
      baseUrl: service.baseUrl,
      headers: auth,
      identity: { header: "X-User-Id" },
    });
  });
  afterAll(() => source.close());

  it("shows the caller only their own orders", async () => {
    const orders = (await call(await source.tools(), "listOrders", {})) as { id: string; owner: string }[];
    expect(orders.every((o) => o.owner === "alice")).toBe(true);
    expect(orders.map((o) => o.id)).toEqual(expect.arrayContaining(["o1", "o2"]));
    expect(orders.map((o) => o.id)).not.toContain("o3");
  });

  it("gives nothing when the planner asks for another user's orders", async () => {
    const tools = await source.tools();
    expect(await call(tools, "listOrders", { ownerId: "bob" })).toEqual([]);
    // Bob's order by id is not reachable either.
    await expect(call(tools, "getOrder", { orderId: "o3" })).rejects.toMatchObject({ status: 404 });
  });

  it("hides the bound header from the planner and overrides it even if supplied", async () => {
    const list = (await source.tools()).find((t) => t.name === "listOrders")!;
    expect(list.inputSchema.properties).not.toHaveProperty("X-User-Id");
    expect(list.validate({ "X-User-Id": "bob" }).issues).toEqual([
      { path: "/", message: 'unknown property "X-User-Id"' },
    ]);
    // Even bypassing validation, the caller's id wins.
    const out = await list.run(
      { "X-User-Id": "bob", "x-user-id": "bob" },
      { signal: new AbortController().signal, stepId: "s", caller: alice },
    );
    expect((out as { owner: string }[]).every((o) => o.owner === "alice")).toBe(true);
    expect(service.requests.at(-1)!.headers["x-user-id"]).toBe("alice");
  });

  it("refuses to call without a caller", async () => {
    const list = (await source.tools()).find((t) => t.name === "listOrders")!;
    const error: any = await list
      .run({}, { signal: new AbortController().signal, stepId: "s" })
      .catch((e: any) => e);
    expect(isFlmError(error, "OPENAPI_IDENTITY_REQUIRED")).toBe(true);
  });

  it("binds query and path parameters too", async () => {
    const byQuery = createOpenApiSource({
      name: "q",
      spec: service.document,
      headers: { ...auth, "X-User-Id": "alice" },
      identity: { query: "ownerId" },
    });
    const list = (await byQuery.tools()).find((t) => t.name === "listOrders")!;
    expect(list.inputSchema.properties).not.toHaveProperty("ownerId");
    await list.run({ ownerId: "bob" }, { signal: new AbortController().signal, stepId: "s", caller: alice });
    expect(service.requests.at(-1)!.url).toBe("/orders?ownerId=alice");
    const byPath = createOpenApiSource({
      name: "p",
      spec: service.document,
      headers: auth,
      identity: { pathParam: "name" },
    });
    const echo = (await byPath.tools()).find((t) => t.name === "get_echo_name")!;
    expect(echo.inputSchema.required).toBeUndefined();
    expect(
      await echo.run(
        {},
        { signal: new AbortController().signal, stepId: "s", caller: { id: "bob/x", roles: [] } },
      ),
    ).toMatchObject({ name: "bob/x" });
  });
});

describe("OpenAPI source: configuration errors", () => {
  it("reports a missing file, a non-OpenAPI document and missing auth clearly", async () => {
    const missing = createOpenApiSource({ name: "x", spec: join(dir, "nope.yaml") });
    await expect(missing.tools()).rejects.toMatchObject({ code: "OPENAPI_SPEC_UNREADABLE" });
    const swagger = createOpenApiSource({ name: "x", spec: { swagger: "2.0", paths: {} } });
    await expect(swagger.tools()).rejects.toThrow(/Swagger 2.0 is not supported/);
    const noServer = createOpenApiSource({ name: "x", spec: ordersDocument() });
    await expect(noServer.tools()).rejects.toMatchObject({ code: "OPENAPI_CONFIG_INVALID" });
    const noAuth = createOpenApiSource({ name: "x", spec: service.document, operations: ["boom"] });
    const tools = await noAuth.tools();
    expect(tools.map((t) => t.name)).toEqual(["boom"]);
    await expect(call(tools, "boom", {})).rejects.toMatchObject({ code: "OPENAPI_HTTP_ERROR", status: 401 });
    expect(() => createOpenApiSource({ name: "x", spec: service.document, identity: {} })).toThrow(
      /empty identity/,
    );
  });
});
