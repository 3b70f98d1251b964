/** The fake MongoDB server, driven by the real `mongodb` driver over TCP. */
import { MongoClient, MongoServerError } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_MAX_WIRE_VERSION, type FakeMongoServer, startFakeMongoServer } from "./fake-mongo-server.js";

interface Person {
  _id: number;
  name: string;
  age: number;
  city: string;
}

describe("fake MongoDB server (wire protocol, real driver)", () => {
  let server: FakeMongoServer;
  let client: MongoClient;
  const people: Person[] = Array.from({ length: 7 }, (_, i) => ({
    _id: i + 1,
    name: `p${i + 1}`,
    age: 20 + ((i * 7) % 30),
    city: i % 2 ? "Oslo" : "Bergen",
  }));

  beforeAll(async () => {
    server = await startFakeMongoServer();
    server.seed("app", "people", people);
    server.seed("app", "pets", [
      { owner: 1, kind: "cat" },
      { owner: 1, kind: "dog" },
      { owner: 3, kind: "fish" },
    ]);
    client = await new MongoClient(server.url, { serverSelectionTimeoutMS: 2000 }).connect();
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it("answers the handshake: legacy OP_QUERY first, then OP_MSG hello/ping", async () => {
    const first = server.commands[0];
    expect(first.opCode).toBe("OP_QUERY");
    expect(first.db).toBe("admin");
    expect(["hello", "isMaster", "ismaster"]).toContain(first.name);
    expect(first.command.client?.driver?.name).toMatch(/nodejs/);
    const hello = await client.db("admin").command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, maxWireVersion: FAKE_MAX_WIRE_VERSION, ok: 1 });
    expect(await client.db("app").command({ ping: 1 })).toEqual({ ok: 1 });
    expect(server.commandsNamed("ping").at(-1)).toMatchObject({ db: "app", opCode: "OP_MSG" });
    expect((await client.db("admin").command({ buildInfo: 1 })).versionArray[0]).toBe(7);
  });

  it("runs find with filter, projection, sort, skip and limit, and records the command", async () => {
    server.clearRecords();
    const rows = await client
      .db("app")
      .collection<Person>("people")
      .find(
        { city: "Oslo", age: { $gte: 20 } },
        { projection: { name: 1 }, sort: { age: -1 }, skip: 1, limit: 2, maxTimeMS: 1234 },
      )
      .toArray();
    const expected = people
      .filter((p) => p.city === "Oslo")
      .sort((a, b) => b.age - a.age)
      .slice(1, 3)
      .map((p) => ({ _id: p._id, name: p.name }));
    expect(rows).toEqual(expected);
    const [find] = server.commandsNamed("find", "app");
    expect(find.command).toMatchObject({
      find: "people",
      filter: { city: "Oslo", age: { $gte: 20 } },
      projection: { name: 1 },
      sort: { age: -1 },
      skip: 1,
      limit: 2,
      maxTimeMS: 1234,
    });
  });

  it("pages find and aggregate results through getMore with a small batchSize, in order", async () => {
    server.clearRecords();
    const coll = client.db("app").collection<Person>("people");
    const found = await coll.find({}, { batchSize: 2, sort: { _id: 1 } }).toArray();
    expect(found.map((d) => d._id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(server.commandsNamed("getMore")).toHaveLength(3);
    const aggregated = await coll
      .aggregate([{ $sort: { _id: -1 } }, { $project: { _id: 1 } }], { batchSize: 3, maxTimeMS: 999 })
      .toArray();
    expect(aggregated.map((d) => d._id)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    const [agg] = server.commandsNamed("aggregate");
    expect(agg.command).toMatchObject({ aggregate: "people", cursor: { batchSize: 3 }, maxTimeMS: 999 });
    expect(server.commandsNamed("getMore").length).toBeGreaterThanOrEqual(5);
  });

  it("kills a cursor the client abandons", async () => {
    server.clearRecords();
    const cursor = client.db("app").collection<Person>("people").find({}, { batchSize: 2 });
    expect(await cursor.next()).toMatchObject({ _id: 1 });
    await cursor.close();
    const [kill] = server.commandsNamed("killCursors");
    expect(kill.command.killCursors).toBe("people");
    expect(kill.command.cursors).toHaveLength(1);
  });

  it("aggregates with $group and both $lookup forms (join keys are honoured with a pipeline)", async () => {
    const pets = client.db("app").collection("pets");
    const byOwner = await pets
      .aggregate([{ $group: { _id: "$owner", n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(byOwner).toEqual([
      { _id: 1, n: 2 },
      { _id: 3, n: 1 },
    ]);
    const plain = await pets
      .aggregate([
        { $match: { kind: "fish" } },
        { $lookup: { from: "people", localField: "owner", foreignField: "_id", as: "who" } },
      ])
      .toArray();
    expect(plain[0].who).toEqual([people[2]]);
    const concise = await pets
      .aggregate([
        { $match: { kind: "fish" } },
        {
          $lookup: {
            from: "people",
            localField: "owner",
            foreignField: "_id",
            pipeline: [{ $project: { name: 1 } }],
            as: "who",
          },
        },
      ])
      .toArray();
    expect(concise[0].who).toEqual([{ _id: 3, name: "p3" }]);
  });

  it("inserts through the driver (document sequences) and assigns nothing the client set", async () => {
    const coll = client.db("scratch").collection("things");
    const result = await coll.insertMany([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(result.insertedCount).toBe(3);
    const insert = server.commandsNamed("insert", "scratch").at(-1)!;
    expect(insert.command.documents).toHaveLength(3);
    const stored = server.documents("scratch", "things");
    expect(stored.map((d) => d._id.toHexString())).toEqual(
      Object.values(result.insertedIds).map((id) => id.toHexString()),
    );
    expect(await coll.countDocuments({ a: { $gt: 1 } })).toBe(2);
    expect((await coll.findOne({ _id: result.insertedIds[1] }))?.a).toBe(2);
    await expect(coll.insertOne({ _id: result.insertedIds[0], a: 9 })).rejects.toMatchObject({ code: 11000 });
    await client.db("scratch").dropDatabase();
    expect(server.documents("scratch", "things")).toEqual([]);
  });

  it("answers unknown commands like a server (CommandNotFound, code 59)", async () => {
    const error = await client
      .db("app")
      .command({ frobnicate: 1 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 59, codeName: "CommandNotFound" });
  });

  it("refuses server-side JavaScript instead of running it (a real server would run it)", async () => {
    const error = await client
      .db("app")
      .collection<Person>("people")
      .find({ $where: "true" })
      .toArray()
      .catch((e) => e);
    expect(error).toBeInstanceOf(MongoServerError);
  });

  it("fails a scripted command with an error code, then recovers", async () => {
    server.failCommand({ commands: ["find"], errorCode: 50, errmsg: "operation exceeded time limit" });
    const coll = client.db("app").collection<Person>("people");
    await expect(coll.find({}).toArray()).rejects.toMatchObject({ code: 50, codeName: "MaxTimeMSExpired" });
    expect(await coll.find({ _id: 1 }).toArray()).toHaveLength(1);
  });

  it("accepts the server's configureFailPoint command through the driver", async () => {
    const admin = client.db("admin");
    await admin.command({
      configureFailPoint: "failCommand",
      mode: { times: 1 },
      data: { failCommands: ["aggregate"], errorCode: 2, errmsg: "scripted" },
    });
    const coll = client.db("app").collection<Person>("people");
    await expect(coll.aggregate([]).toArray()).rejects.toMatchObject({ code: 2, message: "scripted" });
    await admin.command({ configureFailPoint: "failCommand", mode: "off" });
    expect(await coll.aggregate([{ $count: "n" }]).toArray()).toEqual([{ n: 7 }]);
  });

  it("drops the connection when scripted; the driver retries a read once, then gives up", async () => {
    const coll = client.db("app").collection<Person>("people");
    server.clearRecords();
    server.failCommand({ commands: ["find"], closeConnection: true, times: 1 });
    expect(await coll.find({ _id: 2 }).toArray()).toHaveLength(1); // retryable read
    expect(server.commandsNamed("find")).toHaveLength(2);
    server.failCommand({ commands: ["find"], closeConnection: true, times: 2 });
    const error = await coll
      .find({ _id: 2 })
      .toArray()
      .catch((e) => e);
    expect(error?.name).toMatch(/MongoNetworkError|MongoServerSelectionError|MongoPoolClearedError/);
    expect(await coll.find({ _id: 2 }).toArray()).toHaveLength(1);
  });
});
