/**
 * A real TCP server on 127.0.0.1 that speaks the MongoDB wire protocol (OP_QUERY/OP_REPLY for the
 * legacy handshake, OP_MSG for everything else) well enough for the official `mongodb` driver, and
 * records every command it receives. Queries and pipelines run over in-memory collections with
 * `mingo` (MongoDB's query language for JavaScript objects), so what it proves is what reached the
 * wire and that the driver round-trips it; query semantics are mingo's, not a server's.
 *
 * Known differences from a real server (do not paper over them in assertions):
 * - `maxTimeMS` is recorded but not enforced (mingo runs synchronously); script a fail point instead.
 * - `$where`, `$function`, `$accumulator` are refused (mingo's `scriptEnabled: false`); a server runs them.
 * - `$out`/`$merge` and most writes are not implemented (insert, count, drop only).
 * - Projected documents may list keys in a different order; batches are not capped at 16 MB.
 * - The `$lookup` form with both `localField`/`foreignField` and `pipeline` (MongoDB 5.0+) is
 *   emulated here, since mingo ignores the join keys when a pipeline is given.
 * - No authentication, TLS, compression, transactions or change streams.
 */
import { createServer, type Socket } from "node:net";
import { Aggregator, find as mingoFind, Query } from "mingo";
import { BSON, type Document } from "mongodb";

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;
/** MongoDB 7.0; the driver accepts 9..29 (wire_protocol/constants). */
export const FAKE_MAX_WIRE_VERSION = 21;
/** A real server's default first batch. */
const DEFAULT_FIRST_BATCH = 101;

export interface RecordedMongoCommand {
  /** The command's name: the first key of its document (`find`, `aggregate`, `hello`...). */
  name: string;
  db: string;
  /** The whole command document as deserialized (document sequences folded in). */
  command: Document;
  opCode: "OP_QUERY" | "OP_MSG";
  connectionId: number;
  receivedAt: number;
}

/** Modelled on the server's `failCommand` fail point (mode `{ times }`, `data`). */
export interface MongoFailPoint {
  /** Command names to fail, e.g. `["find", "aggregate"]`. */
  commands: string[];
  /** How many matching commands fail; default 1. `Infinity` keeps it on. */
  times?: number;
  /** Reply `{ ok: 0, code: errorCode }` (e.g. 50, MaxTimeMSExpired). */
  errorCode?: number;
  errmsg?: string;
  codeName?: string;
  /** Close the connection instead of answering. */
  closeConnection?: boolean;
  /** Wait this long before acting (the server's `blockConnection` + `blockTimeMS`). */
  blockTimeMS?: number;
}

export interface FakeMongoServer {
  /** `mongodb://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Every command received, in order, from every connection (monitoring `hello`s included). */
  commands: RecordedMongoCommand[];
  /** Commands named `name` (e.g. `"find"`), optionally only on `db`. */
  commandsNamed(name: string, db?: string): RecordedMongoCommand[];
  /** True when `text` occurs anywhere in the bytes clients sent (for "never reached the wire"). */
  sawBytes(text: string): boolean;
  /** Forgets recorded commands and bytes. */
  clearRecords(): void;
  /** Adds documents (an `_id` ObjectId is added where missing, as a server would). */
  seed(db: string, collection: string, docs: Document[]): void;
  /** A fresh copy of a collection's documents. */
  documents(db: string, collection: string): Document[];
  /** Scripts failures; the latest fail point wins, like the server's single `failCommand`. */
  failCommand(failPoint: MongoFailPoint): void;
  /** Turns the fail point off. */
  clearFailPoint(): void;
  /** Destroys every open client connection (the driver sees a network error). */
  dropConnections(): void;
  /** Connections currently open. */
  connectionCount(): number;
  close(): Promise<void>;
}

interface OpenCursor {
  ns: string;
  remaining: Buffer[];
}

class CommandError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly codeName: string,
  ) {
    super(message);
  }
}

export async function startFakeMongoServer(): Promise<FakeMongoServer> {
  // Documents are kept serialized, so every query works on fresh copies with BSON types intact.
  const dbs = new Map<string, Map<string, Buffer[]>>();
  const cursors = new Map<bigint, OpenCursor>();
  const commands: RecordedMongoCommand[] = [];
  let received: Buffer[] = [];
  const sockets = new Set<Socket>();
  let failPoint: (MongoFailPoint & { left: number }) | undefined;
  let nextCursorId = 1000n;
  let nextConnectionId = 1;

  const collection = (db: string, name: string, create = false): Buffer[] => {
    let colls = dbs.get(db);
    if (!colls) {
      colls = new Map();
      if (create) dbs.set(db, colls);
    }
    let docs = colls.get(name);
    if (!docs) {
      docs = [];
      if (create) colls.set(name, docs);
    }
    return docs;
  };
  const load = (db: string, name: string) => collection(db, name).map((b) => BSON.deserialize(b));
  const insert = (db: string, name: string, docs: Document[]): number => {
    const target = collection(db, name, true);
    const ids = new Set(target.map((b) => idKey(BSON.deserialize(b)._id)));
    for (const doc of docs) {
      const withId = "_id" in doc ? doc : { _id: new BSON.ObjectId(), ...doc };
      const key = idKey(withId._id);
      if (ids.has(key))
        throw new CommandError(`E11000 duplicate key error collection: ${db}.${name}`, 11000, "DuplicateKey");
      ids.add(key);
      target.push(Buffer.from(BSON.serialize(withId)));
    }
    return docs.length;
  };
  const mingoOptions = (db: string) => ({
    scriptEnabled: false,
    collectionResolver: (name: string) => load(db, name),
  });

  const openCursor = (ns: string, results: Document[], batchSize: number | undefined, single: boolean) => {
    const size = batchSize ?? DEFAULT_FIRST_BATCH;
    const first = results.slice(0, size);
    const rest = results.slice(size);
    let id = 0n;
    if (rest.length > 0 && !single) {
      id = nextCursorId++;
      cursors.set(id, { ns, remaining: rest.map((d) => Buffer.from(BSON.serialize(d))) });
    }
    return { cursor: { firstBatch: first, id: BSON.Long.fromBigInt(id), ns }, ok: 1 };
  };

  const helloReply = (connectionId: number): Document => ({
    helloOk: true,
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: FAKE_MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  });

  const execute = (name: string, db: string, cmd: Document, connectionId: number): Document => {
    switch (name) {
      case "hello":
      case "isMaster":
      case "ismaster":
        return helloReply(connectionId);
      case "ping":
      case "endSessions":
        return { ok: 1 };
      case "buildInfo":
      case "buildinfo":
        return { version: "7.0.0-fake", versionArray: [7, 0, 0, 0], maxBsonObjectSize: 16777216, ok: 1 };
      case "find": {
        const coll = String(cmd.find);
        let cursor = mingoFind(load(db, coll), cmd.filter ?? {}, cmd.projection, mingoOptions(db));
        if (cmd.sort) cursor = cursor.sort(cmd.sort);
        if (cmd.skip) cursor = cursor.skip(Number(cmd.skip));
        const limit = Math.abs(Number(cmd.limit ?? 0));
        if (limit) cursor = cursor.limit(limit);
        const single = cmd.singleBatch === true || Number(cmd.limit ?? 0) < 0;
        return openCursor(`${db}.${coll}`, cursor.all() as Document[], batchSize(cmd.batchSize), single);
      }
      case "aggregate": {
        if (typeof cmd.aggregate !== "string")
          throw new CommandError(
            "fake-mongo: only collection aggregates are implemented",
            59,
            "CommandNotFound",
          );
        const pipeline = cmd.pipeline as Document[];
        for (const stage of pipeline) {
          const op = Object.keys(stage)[0];
          if (op === "$out" || op === "$merge")
            throw new CommandError(`fake-mongo: ${op} is not implemented`, 40324, "Location40324");
        }
        const results = runPipeline(load(db, cmd.aggregate), pipeline, db);
        return openCursor(`${db}.${cmd.aggregate}`, results, batchSize(cmd.cursor?.batchSize), false);
      }
      case "getMore": {
        const id = BigInt(String(cmd.getMore));
        const open = cursors.get(id);
        if (!open || open.ns !== `${db}.${cmd.collection}`)
          throw new CommandError(`cursor id ${id} not found`, 43, "CursorNotFound");
        const size = batchSize(cmd.batchSize) ?? open.remaining.length;
        const next = open.remaining.splice(0, size).map((b) => BSON.deserialize(b));
        if (open.remaining.length === 0) cursors.delete(id);
        const live = cursors.has(id) ? id : 0n;
        return { cursor: { nextBatch: next, id: BSON.Long.fromBigInt(live), ns: open.ns }, ok: 1 };
      }
      case "killCursors": {
        const killed: unknown[] = [];
        const notFound: unknown[] = [];
        for (const raw of (cmd.cursors ?? []) as unknown[]) {
          const id = BigInt(String(raw));
          (cursors.delete(id) ? killed : notFound).push(BSON.Long.fromBigInt(id));
        }
        return {
          cursorsKilled: killed,
          cursorsNotFound: notFound,
          cursorsAlive: [],
          cursorsUnknown: [],
          ok: 1,
        };
      }
      case "insert":
        return { n: insert(db, String(cmd.insert), (cmd.documents ?? []) as Document[]), ok: 1 };
      case "count": {
        const docs = load(db, String(cmd.count));
        return { n: new Query(cmd.query ?? {}, mingoOptions(db)).find(docs).all().length, ok: 1 };
      }
      case "listCollections": {
        const names = [...(dbs.get(db)?.keys() ?? [])].map((n) => ({
          name: n,
          type: "collection",
          options: {},
          info: { readOnly: false },
        }));
        const matching = new Query(cmd.filter ?? {}, mingoOptions(db)).find(names).all() as Document[];
        return openCursor(`${db}.$cmd.listCollections`, matching, batchSize(cmd.cursor?.batchSize), false);
      }
      case "create":
        collection(db, String(cmd.create), true);
        return { ok: 1 };
      case "drop":
        dbs.get(db)?.delete(String(cmd.drop));
        return { ok: 1 };
      case "dropDatabase":
        dbs.delete(db);
        return { dropped: db, ok: 1 };
      case "configureFailPoint": {
        // The server's own test hook, so tests can script failures through the driver too.
        if (cmd.configureFailPoint !== "failCommand")
          throw new CommandError(`fake-mongo: unknown fail point ${cmd.configureFailPoint}`, 2, "BadValue");
        if (cmd.mode === "off") failPoint = undefined;
        else {
          const data = cmd.data ?? {};
          setFailPoint({
            commands: data.failCommands ?? [],
            times: cmd.mode === "alwaysOn" ? Number.POSITIVE_INFINITY : Number(cmd.mode?.times ?? 1),
            errorCode: data.errorCode,
            errmsg: data.errmsg,
            closeConnection: data.closeConnection,
            blockTimeMS: data.blockConnection ? data.blockTimeMS : undefined,
          });
        }
        return { count: 0, ok: 1 };
      }
      default:
        throw new CommandError(`no such command: '${name}'`, 59, "CommandNotFound");
    }
  };

  /** mingo, except for the concise `$lookup` (join keys plus pipeline) which it does not join on. */
  const runPipeline = (docs: Document[], pipeline: Document[], db: string): Document[] => {
    const options = mingoOptions(db);
    let current = docs;
    let pending: Document[] = [];
    const flush = () => {
      if (pending.length) current = new Aggregator(pending, options).run(current) as Document[];
      pending = [];
    };
    for (const stage of pipeline) {
      const lookup = stage.$lookup as Document | undefined;
      if (!lookup?.pipeline || lookup.localField === undefined) {
        pending.push(stage);
        continue;
      }
      flush();
      const foreign = load(db, String(lookup.from));
      const sub = new Aggregator(lookup.pipeline as Document[], options);
      current = current.map((doc) => {
        const local = valueAt(doc, String(lookup.localField));
        const match = Array.isArray(local) ? { $in: local } : (local ?? null);
        const joined = mingoFind(foreign, { [lookup.foreignField]: match }, undefined, options).all();
        return { ...doc, [lookup.as]: sub.run(joined as Document[]) };
      });
    }
    flush();
    return current;
  };

  const setFailPoint = (fp: MongoFailPoint) => {
    failPoint = { ...fp, left: fp.times ?? 1 };
  };
  const takeFailPoint = (name: string) => {
    if (!failPoint || failPoint.left <= 0 || !failPoint.commands.includes(name)) return undefined;
    failPoint.left--;
    return failPoint;
  };

  const handle = async (socket: Socket, connectionId: number, message: Buffer): Promise<void> => {
    received.push(message);
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    let cmd: Document;
    let db: string;
    let moreToCome = false;
    if (opCode === OP_QUERY) {
      const nsEnd = message.indexOf(0, 20);
      const ns = message.toString("utf8", 20, nsEnd);
      const at = nsEnd + 1 + 8;
      const query = BSON.deserialize(message.subarray(at, at + message.readInt32LE(at)));
      cmd = (query.$query as Document | undefined) ?? query;
      db = ns.replace(/\.\$cmd$/, "");
    } else if (opCode === OP_MSG) {
      const flags = message.readUInt32LE(16);
      moreToCome = (flags & MORE_TO_COME) !== 0;
      cmd = parseOpMsg(message, flags);
      db = String(cmd.$db ?? "admin");
    } else {
      socket.destroy();
      return;
    }
    const name = Object.keys(cmd)[0] ?? "";
    commands.push({
      name,
      db,
      command: cmd,
      opCode: opCode === OP_QUERY ? "OP_QUERY" : "OP_MSG",
      connectionId,
      receivedAt: Date.now(),
    });

    let reply: Document;
    const fault = takeFailPoint(name);
    if (fault?.blockTimeMS) await new Promise((r) => setTimeout(r, fault.blockTimeMS));
    if (fault?.closeConnection) {
      socket.destroy();
      return;
    }
    if (fault?.errorCode !== undefined) {
      reply = {
        ok: 0,
        errmsg: fault.errmsg ?? `Failing command ${name} via failCommand`,
        code: fault.errorCode,
        codeName: fault.codeName ?? codeNames[fault.errorCode] ?? "",
      };
    } else {
      try {
        reply = execute(name, db, cmd, connectionId);
      } catch (error) {
        const e =
          error instanceof CommandError
            ? error
            : new CommandError(`fake-mongo (mingo): ${(error as Error).message}`, 2, "BadValue");
        reply = { ok: 0, errmsg: e.message, code: e.code, codeName: e.codeName };
      }
    }
    if (moreToCome || socket.destroyed) return;
    socket.write(opCode === OP_QUERY ? opReply(requestId, reply) : opMsg(requestId, reply));
  };

  const server = createServer((socket) => {
    const connectionId = nextConnectionId++;
    sockets.add(socket);
    let pending = Buffer.alloc(0);
    let queue = Promise.resolve();
    socket.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const message = pending.subarray(0, pending.readInt32LE(0));
        pending = pending.subarray(message.length);
        // One command at a time per connection, in order, as a server does.
        queue = queue
          .then(() => handle(socket, connectionId, message))
          .catch(() => {
            socket.destroy();
          });
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `mongodb://127.0.0.1:${port}`,
    port,
    commands,
    commandsNamed: (name, db) => commands.filter((c) => c.name === name && (db === undefined || c.db === db)),
    sawBytes: (text) => received.some((b) => b.includes(text)),
    clearRecords: () => {
      commands.length = 0;
      received = [];
    },
    seed: (db, name, docs) => {
      insert(db, name, docs);
    },
    documents: (db, name) => load(db, name),
    failCommand: setFailPoint,
    clearFailPoint: () => {
      failPoint = undefined;
    },
    dropConnections: () => {
      for (const s of sockets) s.destroy();
    },
    connectionCount: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const codeNames: Record<number, string> = {
  50: "MaxTimeMSExpired",
  11600: "InterruptedAtShutdown",
  91: "ShutdownInProgress",
  2: "BadValue",
};

/** OP_MSG: flag bits, then kind-0 (the body) and kind-1 (document sequences) sections. */
function parseOpMsg(message: Buffer, flags: number): Document {
  const end = message.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
  let at = 20;
  let body: Document = {};
  const sequences: [string, Document[]][] = [];
  while (at < end) {
    const kind = message[at++];
    if (kind === 0) {
      const size = message.readInt32LE(at);
      body = BSON.deserialize(message.subarray(at, at + size));
      at += size;
    } else if (kind === 1) {
      const sectionEnd = at + message.readInt32LE(at);
      const idEnd = message.indexOf(0, at + 4);
      const identifier = message.toString("utf8", at + 4, idEnd);
      const docs: Document[] = [];
      for (let p = idEnd + 1; p < sectionEnd; p += message.readInt32LE(p))
        docs.push(BSON.deserialize(message.subarray(p, p + message.readInt32LE(p))));
      sequences.push([identifier, docs]);
      at = sectionEnd;
    } else throw new Error(`OP_MSG section kind ${kind}`);
  }
  for (const [identifier, docs] of sequences) body[identifier] = docs;
  return body;
}

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(responseTo + 1_000_000, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(responseTo: number, reply: Document): Buffer {
  const doc = BSON.serialize(reply);
  const body = Buffer.alloc(5);
  body.writeUInt32LE(0, 0);
  body[4] = 0;
  return Buffer.concat([header(16 + 5 + doc.length, responseTo, OP_MSG), body, doc]);
}

function opReply(responseTo: number, reply: Document): Buffer {
  const doc = BSON.serialize(reply);
  const fields = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  return Buffer.concat([header(16 + 20 + doc.length, responseTo, OP_REPLY), fields, doc]);
}

function batchSize(value: unknown): number | undefined {
  return value === undefined || value === null ? undefined : Math.max(0, Number(value));
}

function idKey(id: unknown): string {
  return JSON.stringify(BSON.EJSON.serialize({ id }, { relaxed: false }));
}

function valueAt(doc: Document, path: string): unknown {
  let values: unknown[] = [doc];
  for (const part of path.split(".")) {
    values = values.flatMap((v) => {
      const next = v && typeof v === "object" ? (v as Document)[part] : undefined;
      return Array.isArray(next) ? next : next === undefined ? [] : [next];
    });
  }
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
}
