import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createSqlSource } from "../sources/sql/sql-source.js";
import type { ToolSource } from "../tools/tool-source.js";
import { LiveValueIndex } from "./live-value-index.js";

const path = join(mkdtempSync(join(tmpdir(), "flm-live-")), "crm.sqlite");
const db = new Database(path);
db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
db.prepare("INSERT INTO customers (name) VALUES (?)").run("Maria Keller");
const source = createSqlSource({
  name: "crm",
  driver: "sqlite",
  path,
  sensitive: [{ column: "customers.name", type: "PERSON" }],
});
afterAll(async () => {
  await source.close();
  db.close();
});
const names = (live: LiveValueIndex, text: string) => live.current.match(text).map((s) => s.value);

describe("LiveValueIndex", () => {
  it("adds rows inserted since the last refresh, and drops deleted ones at the next full rebuild", async () => {
    const live = new LiveValueIndex({ sources: [source], fullEvery: 3 });
    expect(await live.rebuild()).toMatchObject({ mode: "full", added: 1, values: 1 });
    db.prepare("INSERT INTO customers (name) VALUES (?)").run("Jonathan Whitfield");
    const report = await live.refresh();
    expect(report).toMatchObject({ mode: "incremental", added: 1, values: 2 });
    expect(report.sources).toEqual([{ source: "crm", mode: "incremental", added: 1 }]);
    expect(names(live, "Jonathan Whitfield and Maria Keller")).toEqual([
      "Jonathan Whitfield",
      "Maria Keller",
    ]);
    expect((await live.refresh()).sources[0]!.mode).toBe("unchanged");
    db.prepare("DELETE FROM customers WHERE name = ?").run("Jonathan Whitfield");
    expect((await live.refresh()).mode).toBe("full"); // the third refresh
    expect(names(live, "Jonathan Whitfield and Maria Keller")).toEqual(["Maria Keller"]);
  });

  it("keeps the index in use when a source fails, and runs refreshes one at a time", async () => {
    let fail = false;
    const flaky: ToolSource = {
      name: "flaky",
      tools: async () => [],
      close: async () => undefined,
      async *sensitiveValues() {
        if (fail) throw new Error("database down");
        yield { type: "PERSON", value: "Olivia Green", origin: "flaky.name" };
      },
    };
    const errors: unknown[] = [];
    const live = new LiveValueIndex({ sources: [flaky], onError: (e) => errors.push(e) });
    await live.rebuild();
    fail = true;
    await expect(live.rebuild()).rejects.toThrow("database down");
    expect(names(live, "Olivia Green")).toEqual(["Olivia Green"]);
    const report = await live.refresh();
    expect(report.sources[0]).toMatchObject({ mode: "failed", error: "database down" });
    expect(errors).toHaveLength(1);
    fail = false;
    const [a, b, c] = await Promise.all([live.refresh(), live.refresh(), live.refresh({ full: true })]);
    expect(a.mode).toBe("incremental");
    expect(b).toBe(c); // the queued one serves both later requests, full because one asked for it
    expect(c.mode).toBe("full");
  });
});
