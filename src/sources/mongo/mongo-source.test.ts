/**
 * Integration tests need a real MongoDB; none runs on our CI machines. Run them with
 *   FLM_TEST_MONGODB_URL=mongodb://localhost:27017 npx vitest run src/sources/mongo
 * Everything above the server (query building, refusals, tool schemas) is tested without one.
 */
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolSourceContract } from "../../../test/contracts/tool-source-contract.js";
import type { Tool, ToolRunContext } from "../../tools/tool.js";
import { createMongoSource, type MongoResult, type MongoSourceConfig } from "./mongo-source.js";

const ctx: ToolRunContext = {
  signal: new AbortController().signal,
  stepId: "s1",
  caller: { id: "u1", roles: [] },
};
const collections: MongoSourceConfig["collections"] = [
  {
    name: "customers",
    description: "Customers of the shop.",
    fields: ["name", { name: "email", description: "contact address" }, "country", "age", "address"],
    sensitive: [{ field: "email", type: "EMAIL" }, "name"],
  },
  { name: "orders", description: "Orders placed.", fields: ["customer", "total", "status"] },
];

describe("MongoDB source without a server", () => {
  const source = createMongoSource({
    name: "shop",
    url: "mongodb://127.0.0.1:1",
    database: "shop",
    collections,
    maxDocs: 10,
  });
  afterAll(() => source.close());

  it("lists find_ and aggregate_ tools with the declared fields enumerated", async () => {
    const tools = await source.tools();
    expect(tools.map((t) => t.name)).toEqual([
      "find_customers",
      "aggregate_customers",
      "find_orders",
      "aggregate_orders",
    ]);
    const find = tools[0];
    expect((find.inputSchema.properties!.fields as any).items.enum).toEqual([
      "name",
      "email",
      "country",
      "age",
      "address",
    ]);
    expect(find.description).toContain("email (contact address)");
    expect(find.validate({ limit: 11 }).issues.length).toBeGreaterThan(0);
    expect(find.validate({ fields: ["password"] }).issues.length).toBeGreaterThan(0);
  });

  it("refuses $where, $function, $out before any connection is attempted", async () => {
    const [find, aggregate] = await source.tools();
    await expect(find.run({ filter: { $where: "sleep(100)" } }, ctx)).rejects.toMatchObject({
      code: "MONGO_OPERATOR_REFUSED",
    });
    await expect(find.run({ filter: { name: { $function: {} } } }, ctx)).rejects.toMatchObject({
      code: "MONGO_OPERATOR_REFUSED",
    });
    await expect(aggregate.run({ pipeline: [{ $out: "x" }] }, ctx)).rejects.toMatchObject({
      code: "MONGO_STAGE_REFUSED",
    });
    await expect(aggregate.run({ pipeline: [{ $merge: { into: "x" } }] }, ctx)).rejects.toMatchObject({
      code: "MONGO_STAGE_REFUSED",
    });
  });

  it("refuses bad configuration", () => {
    const bad = (patch: Partial<MongoSourceConfig>) => () =>
      createMongoSource({ name: "s", url: "mongodb://h", database: "d", collections, ...patch });
    expect(bad({ url: "http://h" })).toThrow(/mongodb:\/\//);
    expect(bad({ collections: [] })).toThrow(/at least one/);
    expect(bad({ collections: [{ name: "$cmd", description: "x" }] })).toThrow(/plain name/);
    expect(bad({ collections: [{ name: "c", description: " " }] })).toThrow(/description/);
    expect(bad({ maxDocs: 0 })).toThrow(/maxDocs/);
  });

  it("check() reports an unreachable server", async () => {
    const down = createMongoSource({
      name: "down",
      url: "mongodb://127.0.0.1:1",
      database: "d",
      collections,
      serverSelectionTimeoutMS: 300,
    });
    const result = await down.check();
    expect(result.ok).toBe(false);
    await down.close();
  }, 15_000);
});

const url = process.env.FLM_TEST_MONGODB_URL;
describe.skipIf(!url)("MongoDB integration (FLM_TEST_MONGODB_URL)", () => {
  const database = `flm_test_${process.pid}_${Date.now()}`;
  let admin: MongoClient;
  const config = (): MongoSourceConfig => ({
    name: "shop",
    url: url!,
    database,
    collections,
    maxDocs: 3,
    maxTimeMS: 2000,
  });
  const call = async (tool: Tool, args: unknown) => {
    const { value, issues } = tool.validate(args);
    expect(issues).toEqual([]);
    return (await tool.run(value, ctx)) as MongoResult;
  };

  beforeAll(async () => {
    admin = await new MongoClient(url!).connect();
    const db = admin.db(database);
    await db.collection("customers").insertMany([
      {
        _id: 1 as never,
        name: "Ann",
        email: "ann@example.com",
        country: "NO",
        age: 31,
        address: { city: "Oslo" },
      },
      {
        _id: 2 as never,
        name: "Bo",
        email: "bo@example.com",
        country: "SE",
        age: 45,
        address: { city: "Malmö" },
      },
      {
        _id: 3 as never,
        name: "Cy (a.b)",
        email: "cy@example.com",
        country: "NO",
        age: 22,
        address: { city: "Bergen" },
      },
      { _id: 4 as never, name: "Di", email: "di@example.com", country: "DK", age: 60 },
    ]);
    await db.collection("orders").insertMany([
      { customer: 1, total: 10, status: "paid" },
      { customer: 1, total: 15, status: "paid" },
      { customer: 2, total: 7, status: "open" },
    ]);
  });
  afterAll(async () => {
    await admin?.db(database).dropDatabase();
    await admin?.close();
  });

  it("finds with filters, projection, sort, the cap and a truncated flag", async () => {
    const source = createMongoSource(config());
    const [find] = await source.tools();
    const out = await call(find, {
      filter: { country: "NO" },
      fields: ["name", "address.city"],
      sort: [{ field: "age" }],
    });
    expect(out.rows).toEqual([
      { _id: 3, name: "Cy (a.b)", "address.city": "Bergen" },
      { _id: 1, name: "Ann", "address.city": "Oslo" },
    ]);
    expect((await call(find, {})).truncated).toBe(true);
    expect((await call(find, { filter: { name: { $regex: "(a.b)" } } })).rows.map((r) => r._id)).toEqual([3]);
    expect((await call(find, { filter: { name: { $regex: "." } } })).rows).toEqual([]);
    await source.close();
  });

  it("aggregates with $lookup to a declared collection and $group", async () => {
    const source = createMongoSource(config());
    const aggregate = (await source.tools()).find((t) => t.name === "aggregate_orders")!;
    const out = await call(aggregate, {
      pipeline: [
        { $match: { status: "paid" } },
        { $group: { _id: "$customer", revenue: { $sum: "$total" } } },
        { $lookup: { from: "customers", localField: "_id", foreignField: "_id", as: "who" } },
        { $unwind: "$who" },
        { $project: { revenue: 1, name: "$who.name" } },
      ],
    });
    expect(out.rows).toEqual([{ _id: 1, revenue: 25, name: "Ann" }]);
    await source.close();
  });

  it("refuses $where and changes nothing", async () => {
    const source = createMongoSource(config());
    const [find, aggregate] = await source.tools();
    await expect(find.run({ filter: { $where: "this.age > 0" } }, ctx)).rejects.toMatchObject({
      code: "MONGO_OPERATOR_REFUSED",
    });
    await expect(aggregate.run({ pipeline: [{ $out: "customers" }] }, ctx)).rejects.toMatchObject({
      code: "MONGO_STAGE_REFUSED",
    });
    expect(await admin.db(database).collection("customers").countDocuments()).toBe(4);
    expect(await admin.db(database).listCollections({ name: "x" }).toArray()).toEqual([]);
    await source.close();
  });

  it("streams sensitive values", async () => {
    const source = createMongoSource(config());
    const values = [];
    for await (const v of source.sensitiveValues()) values.push(v);
    expect(values).toContainEqual({
      type: "EMAIL",
      value: "ann@example.com",
      origin: "shop.customers.email",
    });
    expect(values.filter((v) => v.type === "NAME")).toHaveLength(4);
    expect((await source.check()).ok).toBe(true);
    await source.close();
  });

  toolSourceContract("mongodb", async () => ({
    source: createMongoSource(config()),
    call: { tool: "find_customers", args: { filter: { country: "NO" } } },
  }));
});
