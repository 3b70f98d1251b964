/**
 * Shared contract for per-user limit stores (issue 17): in memory for one process, PostgreSQL for
 * replicas. `openAnother` is a second replica on the same data: limits must hold across both.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { UserLimitStore } from "../../src/server/user-limits.js";

export interface UserLimitStoreContractOptions {
  /** A new, empty store whose requests-per-minute window is `windowMs` long. */
  create: (windowMs: number) => Promise<UserLimitStore>;
  /** Another replica over the same data (same window). */
  openAnother?: (store: UserLimitStore) => Promise<UserLimitStore>;
  skip?: boolean;
}

export function userLimitStoreContract(name: string, options: UserLimitStoreContractOptions): void {
  describe.skipIf(options.skip)(`UserLimitStore contract: ${name}`, () => {
    const opened: UserLimitStore[] = [];
    const track = (s: UserLimitStore) => {
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close().catch(() => undefined);
    });
    let runs = 0;
    const run = () => `run-${process.pid}-${++runs}-${Math.random().toString(36).slice(2)}`;

    it("counts requests in a sliding window and says when to retry", async () => {
      const store = track(await options.create(1_500));
      const limits = { requestsPerMinute: 3 };
      for (let i = 0; i < 3; i++) expect(await store.acquire("alice", limits, run())).toEqual({ ok: true });
      const refused = await store.acquire("alice", limits, run());
      expect(refused).toMatchObject({ ok: false, limit: "requestsPerMinute" });
      if (!refused.ok) expect(refused.retryAfterMs).toBeGreaterThan(0);
      if (!refused.ok) expect(refused.retryAfterMs).toBeLessThanOrEqual(1_500);
      expect(await store.acquire("bob", limits, run())).toEqual({ ok: true });
      await new Promise((r) => setTimeout(r, 1_600));
      expect(await store.acquire("alice", limits, run())).toEqual({ ok: true });
    });

    it("holds run slots until released", async () => {
      const store = track(await options.create(60_000));
      const limits = { runsInFlight: 2 };
      const [a, b, c] = [run(), run(), run()];
      expect(await store.acquire("alice", limits, a)).toEqual({ ok: true });
      expect(await store.acquire("alice", limits, b)).toEqual({ ok: true });
      expect(await store.acquire("alice", limits, c)).toMatchObject({ ok: false, limit: "runsInFlight" });
      await store.release(a);
      expect(await store.acquire("alice", limits, c)).toEqual({ ok: true });
      expect(await store.acquire("bob", limits, run())).toEqual({ ok: true });
    });

    it("refuses new runs once the day's cloud tokens are used, until the next UTC day", async () => {
      const store = track(await options.create(60_000));
      const limits = { cloudTokensPerDay: 1_000 };
      expect(await store.acquire("alice", limits, run())).toEqual({ ok: true });
      await store.addCloudTokens("alice", 600);
      expect(await store.acquire("alice", limits, run())).toEqual({ ok: true });
      await store.addCloudTokens("alice", 400);
      const refused = await store.acquire("alice", limits, run());
      expect(refused).toMatchObject({ ok: false, limit: "cloudTokensPerDay" });
      if (!refused.ok) {
        const untilMidnight = 86_400_000 - (Date.now() % 86_400_000);
        expect(Math.abs(refused.retryAfterMs - untilMidnight)).toBeLessThan(60_000);
      }
      expect(await store.acquire("bob", limits, run())).toEqual({ ok: true });
    });

    it("admits exactly the limit under concurrent requests", async () => {
      const store = track(await options.create(60_000));
      const other = options.openAnother ? track(await options.openAnother(store)) : store;
      const limits = { requestsPerMinute: 7, runsInFlight: 100 };
      const decisions = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).acquire("carol", limits, run())),
      );
      expect(decisions.filter((d) => d.ok)).toHaveLength(7);
    });

    it.skipIf(!options.openAnother)("another replica sees the same counts and slots", async () => {
      const a = track(await options.create(60_000));
      const b = track(await options.openAnother!(a));
      const limits = { runsInFlight: 1, cloudTokensPerDay: 10 };
      const slot = run();
      expect(await a.acquire("dave", limits, slot)).toEqual({ ok: true });
      expect(await b.acquire("dave", limits, run())).toMatchObject({ ok: false, limit: "runsInFlight" });
      await a.release(slot);
      await b.addCloudTokens("dave", 10);
      expect(await a.acquire("dave", limits, run())).toMatchObject({ ok: false, limit: "cloudTokensPerDay" });
    });

    it("refuses to work once closed", async () => {
      const store = await options.create(60_000);
      await store.close();
      await expect(store.acquire("alice", { requestsPerMinute: 1 }, run())).rejects.toThrow();
    });
  });
}
