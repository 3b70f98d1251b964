import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EvalReport } from "../../src/eval/run-eval.js";
import { loadSuite } from "../../src/eval/load-suite.js";
import { chinookSuite } from "../../src/eval/suites/chinook-suite.js";
import { chromiumPath, launchBrowser } from "../helpers/browser.js";
import { type FakeOpenAIServer, reply, startFakeOpenAIServer } from "../helpers/fake-openai-server.js";
import { type GeneratorKind, scriptedGeneratorReply } from "../helpers/scripted-generators.js";
import { suitePlannerHandler } from "../helpers/scripted-planner.js";
import { sharedFile } from "../helpers/shared-dir.js";
import { type CliFixture, runCli, startCliFixture } from "./cli-helpers.js";

let fixture: CliFixture;
let sloppy: FakeOpenAIServer;
let hallucinating: FakeOpenAIServer;
const chinook = sharedFile("data", "chinook.sqlite");
const browser = chromiumPath();

const generate = (server: FakeOpenAIServer, kind: GeneratorKind) =>
  server.handle((req) => reply.text(scriptedGeneratorReply(kind, req)));

beforeAll(async () => {
  fixture = await startCliFixture("eval");
  [sloppy, hallucinating] = await Promise.all([startFakeOpenAIServer(), startFakeOpenAIServer()]);
  generate(fixture.local, "correct");
  generate(sloppy, "sloppy");
  generate(hallucinating, "hallucinating");
});

afterAll(async () => {
  await Promise.all([sloppy?.close(), hallucinating?.close()]);
  await fixture?.close();
});

describe("flm eval", { timeout: 240_000 }, () => {
  it("compares generators side by side on the clinic suite: table, --json and an HTML report", async () => {
    const { cloud, local, dir } = fixture;
    const clinic = await loadSuite("clinic", { models: { generator: "x" }, cwd: dir });
    clinic.dispose();
    cloud.handle(suitePlannerHandler(clinic.suite.questions));
    const models = [
      "--planner",
      `${cloud.url}#planner`,
      "--generator",
      `${local.url}#correct`,
      "--generator",
      `${hallucinating.url}#hallucinating`,
    ];
    const table = await runCli(["eval", "clinic", ...models], { cwd: dir, timeoutMs: 120_000 });
    expect(table.stderr).not.toMatch(/\n\s+at /);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/clinic: 5 question\(s\) × 1 run\(s\) × 2 combination\(s\)/);
    expect(table.stdout).toMatch(/#correct\s+100%/);
    expect(table.stdout).toMatch(/#hallucinating\s+0%/);
    expect(table.stdout).toContain("c5 Which appointments does patient Zebulon Marchetti");

    const report = join(dir, "clinic-report.html");
    const json = await runCli(["eval", "clinic", ...models, "--json", "--report", report], {
      cwd: dir,
      timeoutMs: 120_000,
    });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as EvalReport;
    expect(parsed.combinations.map((c) => c.summary.accuracy)).toEqual([1, 0]);
    expect(
      parsed.combinations.every((c) => c.summary.egress.sensitive + c.summary.egress.canaries === 0),
    ).toBe(true);
    const html = readFileSync(report, "utf8");
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)[^"]*\.(css|js|png)/);

    if (!browser) return;
    const b = await launchBrowser(browser);
    try {
      const errors: string[] = [];
      b.page.on("pageerror", (e) => errors.push(e.message));
      b.page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      const requests: string[] = [];
      b.page.on("request", (r) => requests.push(r.url()));
      await b.page.goto(`file://${report}`);
      expect(await b.page.locator(".chart").count()).toBe(5);
      expect(await b.page.locator(".chart .bar").count()).toBe(10);
      const width = await b.page
        .locator(".chart")
        .first()
        .locator(".bar")
        .first()
        .evaluate((e) => e.getBoundingClientRect().width);
      expect(width).toBeGreaterThan(50); // the correct generator's accuracy bar is full
      expect(await b.page.locator("table.questions tbody tr").count()).toBe(5);
      expect(await b.page.locator("table.summary tbody tr").count()).toBe(2);
      await expect(b.page.locator("#q-c4").textContent()).resolves.toContain("Zephyrine Quillfeather");
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith("file://"))).toEqual([]);
      await b.screenshot("eval-report");
    } finally {
      await b.close();
    }
  });

  it.skipIf(!browser)("(browser) is checked in Chromium", () => {
    // The browser part of the test above runs only where chromium exists; this line makes a skip visible.
    expect(browser).toBeTruthy();
  });

  it("refuses a second --generator outside flm eval, and an unknown suite", async () => {
    const r = await runCli(["ask", "--generator", "a", "--generator", "b", "hi"], { cwd: fixture.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--generator was given 2 times");
    const s = await runCli(["eval", "nosuch", "--generator", "x"], { cwd: fixture.dir });
    expect(s.code).toBe(3);
    expect(s.stderr).toContain("EVAL_SUITE_NOT_FOUND");
  });

  it.skipIf(!chinook)(
    "runs the Chinook suite (gold facts by SQL) with two generators side by side",
    async () => {
      const { cloud, local, dir } = fixture;
      const suite = await chinookSuite(chinook!);
      for (const q of suite.questions.filter((x) => !x.idk)) expect(q.facts?.length, q.id).toBeGreaterThan(0);
      cloud.handle(suitePlannerHandler(suite.questions));
      const r = await runCli(
        [
          "eval",
          "chinook",
          "--db",
          chinook!,
          "--concurrency",
          "4",
          "--planner",
          `${cloud.url}#planner`,
          "--generator",
          `${local.url}#correct`,
          "--generator",
          `${sloppy.url}#sloppy`,
          "--json",
        ],
        { cwd: dir, timeoutMs: 200_000 },
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as EvalReport;
      const [correct, sloppyRun] = report.combinations.map((c) => c.summary);
      expect(correct!.runs).toBe(36);
      expect(correct!.planCorrect).toBe(1);
      expect(correct!.falseFacts).toBe(0);
      expect(correct!.answerScore).toBeGreaterThan(sloppyRun!.answerScore);
      expect(correct!.egress.sensitive + correct!.egress.canaries).toBe(0);
      console.log(report.combinations.map((c) => `${c.label}: ${JSON.stringify(c.summary)}`).join("\n"));
    },
  );
});
