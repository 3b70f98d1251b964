/**
 * `flm docs ingest|search` and a document-grounded `flm ask` through the real binary: passages
 * and their citation labels reach the local model only, never the planner.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAIServer, reply } from "../../src/testing/fake-openai-server.js";
import { type CliFixture, runCli, startCliFixture, writeFlmConfig } from "./cli-helpers.js";

const CANARY = "Wilhelmina Thistlewood";
const PASSAGE = "Parental leave is eighteen weeks at full pay";
const CITE = "handbook.md § Employee Handbook > Leave > Parental leave";

let fixture: CliFixture;
let cloud: FakeOpenAIServer;
let local: FakeOpenAIServer;
let dir: string;
let corpus: string;

beforeAll(async () => {
  fixture = await startCliFixture("docs-e2e");
  ({ cloud, local, dir } = fixture);
  // The planner writes the query from the prompt's words; it never sees a passage.
  cloud.handle(() =>
    reply.json({ steps: [{ id: "s1", tool: "search_documents", args: { query: "parental leave weeks" } }] }),
  );
  local.handle(() => reply.text("Parental leave is eighteen weeks [s1]."));
  corpus = join(dir, "corpus");
  mkdirSync(join(corpus, "policies"), { recursive: true });
  writeFileSync(
    join(corpus, "handbook.md"),
    [
      "# Employee Handbook",
      "",
      "## Leave",
      "",
      "### Parental leave",
      "",
      `${PASSAGE}, approved by the HR director ${CANARY}. Both parents are eligible.`,
      "",
      "### Sick leave",
      "",
      "Sick leave needs a doctor's note after three days of absence.",
      "",
      "## Expenses",
      "",
      "Travel expenses are reimbursed within thirty days of the claim.",
    ].join("\n"),
  );
  writeFileSync(
    join(corpus, "policies", "security.txt"),
    "Laptops must use full-disk encryption. Passwords are rotated every ninety days.\n",
  );
  writeFileSync(join(corpus, "empty.md"), "");
  writeFileSync(join(corpus, "broken.pdf"), "%PDF-1.7\nthis is not really a pdf\u0000\u0001garbage");
  writeFlmConfig(fixture, {
    tools: [{ kind: "documents", name: "handbook", index: "index/docs.sqlite" }],
    privacy: { canaries: [CANARY] },
  });
});

afterAll(() => fixture?.close());

describe("flm docs end to end", { timeout: 60_000 }, () => {
  it("ingests a folder, reporting bad files without losing the good ones (exit 1)", async () => {
    const r = await runCli(["docs", "ingest", "corpus"], { cwd: dir });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Documented: exit 1 when any file failed; the other files are indexed all the same.
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ added: 2, updated: 0, unchanged: 0, removed: 0 });
    expect(report.chunks).toBeGreaterThanOrEqual(2);
    const failed = Object.fromEntries(
      (report.failed as { path: string; code: string }[]).map((f) => [f.path, f.code]),
    );
    expect(failed["empty.md"]).toBe("DOC_EMPTY");
    expect(failed["broken.pdf"]).toMatch(/^DOC_/);
    expect(Object.keys(failed)).toHaveLength(2);
    expect(r.stderr).toMatch(/empty\.md: .*DOC_EMPTY/);
    expect(r.stderr).toMatch(/broken\.pdf: .*DOC_/);
    expect(r.stderr).toContain("2 file(s) could not be indexed");
  });

  it("search prints the expected passage first with its citation label", async () => {
    // Independent invocations run side by side to keep the suite fast.
    const [r, other, none] = await Promise.all([
      runCli(["docs", "search", "parental leave"], { cwd: dir }),
      runCli(["docs", "search", "encryption", "-n", "1"], { cwd: dir }),
      runCli(["docs", "search", "zeppelin"], { cwd: dir }),
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toContain(`[${CITE}]`);
    expect(lines[0]).toMatch(/^handbook\.md#\d+/);
    expect(lines[1]).toContain(PASSAGE);

    expect(other.code).toBe(0);
    expect(other.stdout.trim().split("\n")).toHaveLength(2);
    expect(other.stdout).toContain("[security.txt]");

    expect(none.code).toBe(0);
    expect(none.stdout).toBe("");
    expect(none.stderr).toContain("No passages matched.");
  });

  it("re-ingest reports unchanged files and picks up only the changed one", async () => {
    writeFileSync(join(corpus, "policies", "security.txt"), "Laptops must use full-disk encryption.\n");
    rmSync(join(corpus, "empty.md"));
    rmSync(join(corpus, "broken.pdf"));
    const r = await runCli(["docs", "ingest", "corpus"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ added: 0, updated: 1, unchanged: 1, failed: [] });
    const again = await runCli(["docs", "ingest", "corpus"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, updated: 0, unchanged: 2, chunks: 0 });
  });

  it("a missing folder is a runtime error with a code; no index is a usage error", async () => {
    const cfg = join(dir, "nodocs.json");
    writeFileSync(cfg, JSON.stringify({ generator: `${local.url}#m` }));
    const [r, u] = await Promise.all([
      runCli(["docs", "ingest", "no-such-folder"], { cwd: dir }),
      runCli(["--config", cfg, "docs", "search", "leave"], { cwd: dir }),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error DOC_FOLDER_NOT_FOUND: /m);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("error USAGE: No document index given.");
  });

  it("ask: passages and citation labels reach the local model only, never the planner", async () => {
    cloud.requests.length = 0;
    local.requests.length = 0;
    const r = await runCli(["ask", "How long is parental leave?"], { cwd: dir });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("Parental leave is eighteen weeks [s1].");
    expect(r.stderr).toMatch(/s1\s+search_documents\s+ok/);
    expect(cloud.requests).toHaveLength(1);
    expect(cloud.allBodies()).toContain("search_documents"); // the planner saw the schema...
    const answer = local.allBodies();
    expect(answer).toContain(PASSAGE);
    expect(answer).toContain(CITE);
    const sent = cloud.allBodies();
    expect(sent).not.toContain(CANARY); // ...and nothing the documents hold
    expect(sent).not.toContain("Thistlewood");
    expect(sent).not.toContain("eighteen weeks");
    expect(sent).not.toContain(CITE);
  });
});
