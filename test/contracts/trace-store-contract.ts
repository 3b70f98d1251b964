/**
 * Shared contract for trace stores (SQLite file, SQLite in memory, PostgreSQL): storing and
 * reading runs, owner checks, filters and cursor paging for the console, retention, the per-run
 * and whole-store byte caps, and (for shared databases) a run written by one replica read by another.
 */
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { RunStatus } from "../../src/traces/run-record.js";
import type { TraceStore, TraceStoreLimits } from "../../src/traces/trace-store.js";
import { makeRecord, T0 } from "../helpers/run-records.js";

export interface TraceStoreContractOptions {
  /** A new, empty store each call (the contract closes it). */
  create: (options: { limits?: Partial<TraceStoreLimits>; now?: () => Date }) => Promise<TraceStore>;
  /** A second connection to the same database as `store` (another replica), when the kind allows it. */
  openAnother?: (store: TraceStore) => Promise<TraceStore>;
  skip?: boolean;
}

export function traceStoreContract(name: string, options: TraceStoreContractOptions): void {
  describe.skipIf(options.skip)(`TraceStore contract: ${name}`, () => {
    const opened: TraceStore[] = [];
    const fresh = async (o: Parameters<TraceStoreContractOptions["create"]>[0] = {}) => {
      const store = await options.create({ now: () => new Date(T0 + 60_000), ...o });
      opened.push(store);
      return store;
    };
    afterAll(async () => {
      for (const s of opened) await s.close();
    });

    it("stores a run and reads it back whole; only its owner may read it with userId", async () => {
      const store = await fresh();
      const record = makeRecord("run-1");
      const put = await store.put(record);
      expect(put.truncated).toBe(false);
      expect(put.bytes).toBe(Buffer.byteLength(JSON.stringify(record)));
      expect(await store.get("run-1")).toEqual(record);
      expect(await store.get("run-1", { userId: "alice" })).toEqual(record);
      expect(await store.get("run-1", { userId: "bob" })).toBeUndefined();
      expect(await store.get("no-such-run")).toBeUndefined();
    });

    it("replaces a run stored again under the same id", async () => {
      const store = await fresh();
      await store.put(makeRecord("run-1", { status: "error" }));
      await store.put(makeRecord("run-1", { status: "ok", userId: "bob" }));
      expect((await store.get("run-1"))?.status).toBe("ok");
      const page = await store.list();
      expect(page.runs.map((r) => [r.id, r.userId, r.status])).toEqual([["run-1", "bob", "ok"]]);
    });

    it("lists summaries newest first with tokens, duration and the blocked flag", async () => {
      const store = await fresh();
      await store.put(makeRecord("a", { at: T0 - 3000 }));
      await store.put(makeRecord("b", { at: T0 - 1000, status: "blocked", durationMs: 12.5 }));
      await store.put(makeRecord("c", { at: T0 - 2000, status: "error" }));
      const page = await store.list();
      expect(page.runs.map((r) => r.id)).toEqual(["b", "c", "a"]);
      expect(page.older).toBeUndefined();
      expect(page.newer).toBeUndefined();
      expect(page.runs[0]).toMatchObject({
        id: "b",
        startedAt: new Date(T0 - 1000).toISOString(),
        userId: "alice",
        agent: "flm",
        status: "blocked",
        blocked: true,
        errorCode: "EGRESS_BLOCKED",
        errorMessage: "Blocked a request to api.example.com: EMAIL from s1.",
        durationMs: 12.5,
        cloudTokens: 120,
        localTokens: 340,
      });
      expect(page.runs[2]).toMatchObject({ id: "a", blocked: false, status: "ok" });
      expect(page.runs[2].errorCode).toBeUndefined();
      expect(page.runs[2].errorMessage).toBeUndefined();
      expect(page.runs[2].bytes).toBeGreaterThan(500);
    });

    it("filters by user, agent, status, blocked, time range and duration", async () => {
      const store = await fresh();
      await store.put(makeRecord("a1", { at: T0 - 5000, userId: "alice", agent: "sales", durationMs: 10 }));
      await store.put(makeRecord("a2", { at: T0 - 4000, userId: "alice", agent: "hr", status: "blocked" }));
      await store.put(makeRecord("b1", { at: T0 - 3000, userId: "bob", agent: "sales", durationMs: 500 }));
      await store.put(makeRecord("b2", { at: T0 - 2000, userId: "bob", agent: "hr", status: "error" }));
      const ids = async (q: Parameters<TraceStore["list"]>[0]) => (await store.list(q)).runs.map((r) => r.id);
      expect(await ids({ userId: "alice" })).toEqual(["a2", "a1"]);
      expect(await ids({ agent: "sales" })).toEqual(["b1", "a1"]);
      expect(await ids({ status: "error" })).toEqual(["b2"]);
      expect(await ids({ blocked: true })).toEqual(["a2"]);
      expect(await ids({ blocked: false, userId: "bob" })).toEqual(["b2", "b1"]);
      expect(await ids({ from: new Date(T0 - 4000), to: new Date(T0 - 2000) })).toEqual(["b1", "a2"]);
      expect(await ids({ minDurationMs: 100 })).toEqual(["b1"]);
      expect(await ids({ userId: "carol" })).toEqual([]);
      expect(await store.facets()).toEqual({ users: ["alice", "bob"], agents: ["hr", "sales"] });
    });

    it("pages by cursor in both directions, stable when runs share a start time", async () => {
      const store = await fresh();
      // Seven runs; three share one millisecond, so the id breaks the tie.
      const times = [T0 - 7, T0 - 6, T0 - 5, T0 - 5, T0 - 5, T0 - 2, T0 - 1];
      for (const [i, at] of times.entries()) await store.put(makeRecord(`r${i}`, { at }));
      const p1 = await store.list({ limit: 3 });
      expect(p1.runs.map((r) => r.id)).toEqual(["r6", "r5", "r4"]);
      expect(p1.newer).toBeUndefined();
      const p2 = await store.list({ limit: 3, cursor: p1.older });
      expect(p2.runs.map((r) => r.id)).toEqual(["r3", "r2", "r1"]);
      const p3 = await store.list({ limit: 3, cursor: p2.older });
      expect(p3.runs.map((r) => r.id)).toEqual(["r0"]);
      expect(p3.older).toBeUndefined();
      expect(p3.newer).toBeDefined();
      const back = await store.list({ limit: 3, cursor: p3.newer });
      expect(back.runs.map((r) => r.id)).toEqual(["r3", "r2", "r1"]);
      const first = await store.list({ limit: 3, cursor: back.newer });
      expect(first.runs.map((r) => r.id)).toEqual(["r6", "r5", "r4"]);
      expect(first.newer).toBeUndefined();
      expect(first.older).toBeDefined();
      // Paging keeps the filters.
      const filtered = await store.list({ limit: 2, cursor: p1.older, userId: "alice" });
      expect(filtered.runs.map((r) => r.id)).toEqual(["r3", "r2"]);
    });

    it("rejects a forged cursor and an unknown status with TRACE_QUERY_INVALID", async () => {
      const store = await fresh();
      await expect(store.list({ cursor: "not-a-cursor" })).rejects.toMatchObject({
        code: "TRACE_QUERY_INVALID",
      });
      await expect(store.list({ status: "weird" as RunStatus })).rejects.toMatchObject({
        code: "TRACE_QUERY_INVALID",
      });
      await expect(store.list({ from: new Date("garbage") })).rejects.toMatchObject({
        code: "TRACE_QUERY_INVALID",
      });
    });

    it("expires runs past retentionDays: unreadable at once, deleted by prune", async () => {
      let now = T0;
      const store = await fresh({ limits: { retentionDays: 1 }, now: () => new Date(now) });
      await store.put(makeRecord("old", { at: T0 - 2 * 86_400_000 }));
      await store.put(makeRecord("recent", { at: T0 - 3_600_000 }));
      expect(await store.get("old")).toBeUndefined();
      expect((await store.list()).runs.map((r) => r.id)).toEqual(["recent"]);
      expect((await store.stats()).runs).toBe(1);
      now = T0 + 86_400_000; // a day later "recent" is past retention too
      expect(await store.get("recent")).toBeUndefined();
      const pruned = await store.prune();
      expect(pruned.expired).toBe(2);
      expect(await store.stats()).toEqual({ runs: 0, bytes: 0 });
    });

    it("cuts a huge run to maxTraceBytes and keeps what identifies it", async () => {
      const store = await fresh({ limits: { maxTraceBytes: 64 * 1024 } });
      const bigBody = JSON.stringify({ messages: Array.from({ length: 9000 }, (_, i) => `turn ${i} `) });
      const record = makeRecord("huge", { prompt: "p".repeat(300_000) });
      const sha = createHash("sha256").update(bigBody).digest("hex");
      record.trace.egress[0] = {
        ...record.trace.egress[0],
        body: bigBody,
        bytes: Buffer.byteLength(bigBody),
        sha256: sha,
      };
      const put = await store.put(record);
      expect(put.truncated).toBe(true);
      expect(put.bytes).toBeLessThanOrEqual(64 * 1024);
      const back = (await store.get("huge"))!;
      expect(Buffer.byteLength(JSON.stringify(back))).toBeLessThanOrEqual(64 * 1024);
      expect(back.truncated?.originalBytes).toBeGreaterThan(400_000);
      expect(back.trace.egress[0]).toMatchObject({ bytes: Buffer.byteLength(bigBody), sha256: sha });
      expect(back.trace.egress[0].body).toMatch(
        /^\{"messages":\["turn 0 ",.*…\[cut by flm: kept \d+ of \d+/s,
      );
      expect(back.prompt).toMatch(/^p{1000,}…\[cut by flm/);
      // Small fields are untouched.
      expect(back.trace.plannerPrompt).toBe("Revenue for <PERSON_1>?");
      expect(back.trace.plan).toEqual(record.trace.plan);
      expect(back.answer).toBe(record.answer);
      expect((await store.list()).runs[0]).toMatchObject({ id: "huge", cloudTokens: 120 });
    });

    it("keeps the store under maxStoreBytes by deleting the oldest runs", async () => {
      const store = await fresh({ limits: { maxTraceBytes: 32 * 1024, maxStoreBytes: 200 * 1024 } });
      for (let i = 0; i < 12; i++) {
        // Each run is about 30 KB.
        await store.put(
          makeRecord(`run-${String(i).padStart(2, "0")}`, { at: T0 + i, prompt: "x".repeat(30_000) }),
        );
      }
      const stats = await store.stats();
      expect(stats.bytes).toBeLessThanOrEqual(200 * 1024);
      expect(stats.runs).toBeGreaterThanOrEqual(5);
      expect(stats.runs).toBeLessThan(12);
      const ids = (await store.list({ limit: 100 })).runs.map((r) => r.id);
      expect(ids[0]).toBe("run-11");
      expect(ids).not.toContain("run-00");
      expect(await store.get("run-00")).toBeUndefined();
    });

    it.skipIf(!options.openAnother)("serves a run written by one replica to another", async () => {
      const store = await fresh();
      const other = await options.openAnother!(store);
      opened.push(other);
      await store.put(makeRecord("shared-run", { userId: "carol" }));
      expect((await other.get("shared-run", { userId: "carol" }))?.prompt).toBe(
        "Revenue for Hannah Schneider?",
      );
      expect((await other.list({ userId: "carol" })).runs.map((r) => r.id)).toEqual(["shared-run"]);
      await other.put(makeRecord("from-other", { at: T0 + 5 }));
      expect((await store.get("from-other"))?.id).toBe("from-other");
    });

    it("reports stats over unexpired runs", async () => {
      const store = await fresh();
      expect(await store.stats()).toEqual({ runs: 0, bytes: 0 });
      const a = await store.put(makeRecord("a", { at: T0 - 10 }));
      const b = await store.put(makeRecord("b", { at: T0 }));
      expect(await store.stats()).toEqual({
        runs: 2,
        bytes: a.bytes + b.bytes,
        oldest: new Date(T0 - 10).toISOString(),
        newest: new Date(T0).toISOString(),
      });
    });
  });
}
