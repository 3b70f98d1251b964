/**
 * The integration suite runs through the real `mongodb` driver against a protocol-level fake
 * server (test/helpers/fake-mongo-server.ts, queries evaluated by mingo) by default, and against a
 * real server when FLM_TEST_MONGODB_URL is set:
 *   FLM_TEST_MONGODB_URL=mongodb://localhost:27017 npx vitest run src/sources/mongo
 * The wire-level checks (what reached the server, scripted failures) need the fake's recorder and
 * run only on it.
 */
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toolSourceContract } from "../../testing/tool-source-contract.js";
import { type FakeMongoServer, startFakeMongoServer } from "../../../test/helpers/fake-mongo-server.js";
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
    expect((find.inputSchema.properties!.fields as any).items.anyOf[0].enum).toEqual([
      "name",
      "email",
      "country",
      "age",
      "address",
    ]);
    expect(find.description).toContain("email (contact address)");
    expect(find.validate({ limit: 11 }).issues.length).toBeGreaterThan(0);
    expect(find.validate({ fields: ["password"] }).issues.length).toBeGreaterThan(0);
    expect(find.validate({ fields: ["address.city"], sort: [{ field: "address.zip" }] }).issues).toEqual([]);
    expect(find.validate({ fields: ["addressbook"] }).issues.length).toBeGreaterThan(0);
    expect(find.validate({ fields: ["password.x"] }).issues.length).toBeGreaterThan(0);
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

const realUrl = process.env.FLM_TEST_MONGODB_URL;
describe(`MongoDB integration (${realUrl ? "FLM_TEST_MONGODB_URL" : "fake wire-protocol server"})`, () => {
  const database = `flm_test_${process.pid}_${Date.now()}`;
  let fake: FakeMongoServer | undefined;
  let url: string;
  let admin: MongoClient;
  const notes: MongoSourceConfig["collections"][number] = {
    name: "notes",
    description: "Private notes on customers.",
    fields: ["owner", "customer", "text"],
    identity: { field: "owner" },
  };
  const config = (): MongoSourceConfig => ({
    name: "shop",
    url,
    database,
    collections: [...collections, notes],
    maxDocs: 3,
    maxTimeMS: 2000,
  });
  const call = async (tool: Tool, args: unknown) => {
    const { value, issues } = tool.validate(args);
    expect(issues).toEqual([]);
    return (await tool.run(value, ctx)) as MongoResult;
  };

  beforeAll(async () => {
    if (!realUrl) fake = await startFakeMongoServer();
    url = realUrl ?? fake!.url;
    // Seeded through the driver in both cases, so the fake also receives real inserts.
    admin = await new MongoClient(url).connect();
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
    await db.collection("notes").insertMany([
      { owner: "u1", customer: 1, text: "likes tea" },
      { owner: "u1", customer: 2, text: "call back" },
      { owner: "u2", customer: 1, text: "owes money" },
    ]);
  });
  afterAll(async () => {
    await admin?.db(database).dropDatabase();
    await admin?.close();
    await fake?.close();
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
    // "." is matched literally: only the name with a dot, not every name.
    expect((await call(find, { filter: { name: { $regex: "." } } })).rows.map((r) => r._id)).toEqual([3]);
    expect(
      (await call(find, { filter: { name: { $regex: "^a", $options: "i" } } })).rows.map((r) => r._id),
    ).toEqual([1]);
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

  it("polls new documents only, by ObjectId, once it has a mark (#11)", async () => {
    const contacts = admin.db(database).collection("contacts");
    await contacts.insertMany([{ email: "first@example.com" }, { email: "second@example.com" }]);
    const source = createMongoSource({
      name: "shop",
      url,
      database,
      collections: [
        { name: "contacts", description: "Contacts", sensitive: [{ field: "email", type: "EMAIL" }] },
      ],
    });
    const drain = async (since?: string) => {
      const changes = source.sensitiveChanges(since);
      const values: string[] = [];
      for await (const v of changes) values.push(v.value);
      return { values: values.sort(), full: changes.full, mark: changes.mark };
    };
    const first = await drain();
    expect(first).toMatchObject({ full: true, values: ["first@example.com", "second@example.com"] });
    expect(await drain(first.mark)).toMatchObject({ full: false, values: [] });
    await contacts.insertOne({ email: "third@example.com" });
    expect(await drain(first.mark)).toMatchObject({ full: false, values: ["third@example.com"] });
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

  it("reads only the caller's own notes, whatever the planner asks", async () => {
    const source = createMongoSource(config());
    const tools = await source.tools();
    const find = tools.find((t) => t.name === "find_notes")!;
    expect(find.description).toContain("caller's own documents");
    const texts = (r: MongoResult) => r.rows.map((row) => row.text).sort();
    expect(texts(await call(find, {}))).toEqual(["call back", "likes tea"]);
    expect(texts(await call(find, { filter: { owner: "u2" } }))).toEqual([]);
    expect(texts(await call(find, { filter: { $or: [{ owner: "u2" }, { customer: 1 }] } }))).toEqual([
      "likes tea",
    ]);
    const aggregate = tools.find((t) => t.name === "aggregate_notes")!;
    expect(
      (await call(aggregate, { pipeline: [{ $group: { _id: "$owner", n: { $sum: 1 } } }] })).rows,
    ).toEqual([{ _id: "u1", n: 2 }]);
    // A join into the bound collection is narrowed too.
    const customers = tools.find((t) => t.name === "aggregate_customers")!;
    const joined = await call(customers, {
      pipeline: [
        { $match: { _id: 1 } },
        { $lookup: { from: "notes", localField: "_id", foreignField: "customer", as: "notes" } },
      ],
    });
    expect(joined.rows).toHaveLength(1);
    expect(joined.rows[0].notes).toEqual([
      { _id: expect.any(String), owner: "u1", customer: 1, text: "likes tea" },
    ]);
    const noCaller = { ...ctx, caller: undefined };
    await expect(find.run(find.validate({}).value, noCaller)).rejects.toMatchObject({
      code: "MONGO_CALLER_REQUIRED",
    });
    await source.close();
  });

  describe.skipIf(!!realUrl)("on the wire (the fake server's recorder)", () => {
    let source: ReturnType<typeof createMongoSource>;
    let tools: Tool[];
    const tool = (name: string) => tools.find((t) => t.name === name)!;
    const onWire = (name: string) => fake!.commandsNamed(name, database).map((c) => c.command);
    beforeEach(async () => {
      fake!.clearFailPoint();
      source = createMongoSource(config());
      tools = await source.tools();
      expect((await source.check()).ok).toBe(true); // connected before anything is recorded
      fake!.clearRecords();
      return () => source.close();
    });

    it("sends the row cap (+1 to detect truncation) and maxTimeMS with every query", async () => {
      await call(tool("find_customers"), {
        filter: { country: "NO" },
        limit: 2,
        sort: [{ field: "age", direction: "desc" }],
      });
      await call(tool("find_customers"), {});
      await call(tool("aggregate_orders"), { pipeline: [{ $match: { status: "paid" } }, { $limit: 50 }] });
      const finds = onWire("find");
      expect(finds).toHaveLength(2);
      expect(finds[0]).toMatchObject({
        find: "customers",
        filter: { country: "NO" },
        sort: { age: -1 },
        limit: 3,
        maxTimeMS: 2000,
      });
      expect(finds[1]).toMatchObject({ filter: {}, limit: 4, maxTimeMS: 2000 });
      const [agg] = onWire("aggregate");
      expect(agg.maxTimeMS).toBe(2000);
      expect(agg.pipeline).toEqual([{ $match: { status: "paid" } }, { $limit: 4 }, { $limit: 4 }]);
      // sensitiveValues() scans with a longer, still bounded, time limit.
      for await (const _ of source.sensitiveValues());
      expect(
        onWire("aggregate")
          .slice(1)
          .every((c) => c.maxTimeMS === 20_000),
      ).toBe(true);
    });

    it("sends the identity condition ANDed with the planner's filter", async () => {
      await call(tool("find_notes"), { filter: { owner: "u2" } });
      expect(onWire("find")[0].filter).toEqual({ $and: [{ owner: "u1" }, { owner: "u2" }] });
      await call(tool("aggregate_notes"), { pipeline: [{ $match: { owner: "u2" } }] });
      expect(onWire("aggregate")[0].pipeline.slice(0, 2)).toEqual([
        { $match: { owner: "u1" } },
        { $match: { owner: "u2" } },
      ]);
    });

    it("sends $regex text escaped, and the declared-fields projection on $lookup", async () => {
      await call(tool("find_customers"), { filter: { name: { $regex: "(a.b)" } } });
      expect(onWire("find")[0].filter).toEqual({ name: { $regex: "\\(a\\.b\\)" } });
      await call(tool("aggregate_orders"), {
        pipeline: [
          { $lookup: { from: "customers", localField: "customer", foreignField: "_id", as: "who" } },
        ],
      });
      expect(onWire("aggregate")[0].pipeline[0].$lookup.pipeline).toEqual([
        { $project: { name: 1, email: 1, country: 1, age: 1, address: 1 } },
      ]);
    });

    it("never puts a refused operator or stage on the wire", async () => {
      const find = tool("find_customers");
      const aggregate = tool("aggregate_customers");
      const refused: [Tool, unknown][] = [
        [find, { filter: { $where: "sleep(1000) || true" } }],
        [find, { filter: { name: { $function: { body: "return 1", args: [], lang: "js" } } } }],
        [find, { filter: { $expr: { $gt: ["$age", 1] } } }],
        [find, { filter: { name: { $eq: { $where: "1" } } } }],
        [aggregate, { pipeline: [{ $out: "stolen" }] }],
        [aggregate, { pipeline: [{ $merge: { into: "stolen" } }] }],
        [aggregate, { pipeline: [{ $group: { _id: null, x: { $accumulator: {} } } }] }],
        [aggregate, { pipeline: [{ $unionWith: "orders" }] }],
        [aggregate, { pipeline: [{ $match: { $where: "true" } }] }],
      ];
      for (const [t, args] of refused) {
        await expect(t.run(args, ctx)).rejects.toMatchObject({
          code: expect.stringMatching(/^MONGO_(OPERATOR|STAGE|ARGUMENT)_/),
        });
      }
      expect(onWire("find")).toEqual([]);
      expect(onWire("aggregate")).toEqual([]);
      for (const word of [
        "$where",
        "$function",
        "$expr",
        "$out",
        "$merge",
        "$accumulator",
        "$unionWith",
        "stolen",
      ]) {
        expect(fake!.sawBytes(word), word).toBe(false);
      }
      expect(fake!.documents(database, "customers")).toHaveLength(4);
    });

    it("turns a server-side MaxTimeMSExpired into MONGO_TIMEOUT, then works again", async () => {
      fake!.failCommand({ commands: ["find", "aggregate"], errorCode: 50, times: 2 });
      await expect(call(tool("find_customers"), {})).rejects.toMatchObject({
        code: "MONGO_TIMEOUT",
        message: expect.stringContaining("2000 ms"),
      });
      await expect(call(tool("aggregate_orders"), { pipeline: [] })).rejects.toMatchObject({
        code: "MONGO_TIMEOUT",
      });
      expect((await call(tool("find_customers"), { limit: 1 })).rowCount).toBe(1);
    });

    it("reports other server errors as MONGO_QUERY_FAILED with the server's message", async () => {
      fake!.failCommand({ commands: ["find"], errorCode: 2, errmsg: "bad things" });
      await expect(call(tool("find_customers"), {})).rejects.toMatchObject({
        code: "MONGO_QUERY_FAILED",
        message: expect.stringContaining("bad things"),
      });
    });

    it("retries a read once on a dropped connection (the driver's retryable reads)", async () => {
      fake!.failCommand({ commands: ["find"], closeConnection: true, times: 1 });
      expect((await call(tool("find_customers"), { limit: 1 })).rowCount).toBe(1);
      expect(onWire("find")).toHaveLength(2);
    });

    it("gives MONGO_CONNECTION_FAILED when the connection drops twice, and recovers", async () => {
      fake!.failCommand({ commands: ["find"], closeConnection: true, times: 2 });
      await expect(call(tool("find_customers"), {})).rejects.toMatchObject({
        code: "MONGO_CONNECTION_FAILED",
        hint: expect.stringContaining("retry"),
      });
      expect((await call(tool("find_customers"), { limit: 1 })).rowCount).toBe(1);
    });

    it("stops waiting when the run is cancelled mid-query (MONGO_ABORTED)", async () => {
      fake!.failCommand({ commands: ["find"], blockTimeMS: 1500 });
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(new Error("user cancelled")), 50);
      const t = tool("find_customers");
      await expect(t.run(t.validate({}).value, { ...ctx, signal: controller.signal })).rejects.toMatchObject({
        code: "MONGO_ABORTED",
      });
      expect(Date.now() - started).toBeLessThan(1000);
    });
  });

  toolSourceContract("mongodb", async () => ({
    source: createMongoSource(config()),
    call: { tool: "find_customers", args: { filter: { country: "NO" } } },
  }));
});
