/**
 * The console in a real browser (Debian's chromium through playwright-core): sign in with a token,
 * read the runs list, open a run made by the fake models and check the plan graph, the timeline
 * and the highlighted placeholders; a non-admin is refused; no page shows a blocked run's canary.
 * Screenshots go to test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchBrowser, type TestBrowser } from "../helpers/browser.js";
import {
  ADMIN_TOKEN,
  ANALYST_TOKEN,
  type ConsoleScenario,
  SCENARIO_CANARY,
  startConsoleScenario,
} from "../helpers/console-scenario.js";

const executable = chromiumPath();

describe.skipIf(!executable)("console in chromium", () => {
  let scenario: ConsoleScenario;
  let browser: TestBrowser;
  const cspErrors: string[] = [];

  beforeAll(async () => {
    scenario = await startConsoleScenario();
    browser = await launchBrowser(executable!);
    browser.page.on("console", (m) => {
      if (m.type() === "error") cspErrors.push(`${m.text()} (${m.location().url})`);
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await scenario?.close();
  });

  async function signIn(token: string) {
    const { page } = browser;
    await page.goto(`${scenario.url}/console/runs`);
    expect(new URL(page.url()).pathname).toBe("/console/login");
    await page.fill("#token", token);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/console/login") && r.request().method() === "POST"),
      page.click("button[type=submit]"),
    ]);
    await page.waitForLoadState();
    return response;
  }

  it("signs in with an admin token and lists the runs", async () => {
    const response = await signIn(ADMIN_TOKEN);
    expect(response.status()).toBe(303);
    const { page } = browser;
    expect(new URL(page.url()).pathname).toBe("/console/runs");
    const cookies = await browser.context.cookies();
    const session = cookies.find((c) => c.name === "flm_console");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/console" });
    expect(await page.evaluate(() => document.cookie)).toBe(""); // HttpOnly: scripts cannot read it
    const rows = page.locator("table.runs tbody tr");
    expect(await rows.count()).toBe(2);
    expect(await page.locator(`tr[data-run="${scenario.runs.blocked}"] .badge`).first().textContent()).toBe(
      "blocked",
    );
    await browser.screenshot("console-runs");
  });

  it("opens a run: plan graph with its $ref edge, a Gantt bar per stage, placeholders highlighted", async () => {
    const { page } = browser;
    await page.click(`tr[data-run="${scenario.runs.ok}"] a`);
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe(`/console/runs/${scenario.runs.ok}`);

    // The plan graph: two step nodes laid out left to right, one labelled edge s1 → s2.
    const nodes = page.locator("svg.plan-graph a.node");
    expect(await nodes.count()).toBe(2);
    const s1 = await page.locator('svg.plan-graph a.node[data-step="s1"] rect').boundingBox();
    const s2 = await page.locator('svg.plan-graph a.node[data-step="s2"] rect').boundingBox();
    expect(s1 && s2 && s1.x + s1.width < s2.x).toBe(true);
    expect(await page.locator('svg.plan-graph g.edge[data-from="s1"][data-to="s2"]').count()).toBe(1);
    expect(await page.locator("svg.plan-graph .edge-label").textContent()).toBe("rows[0].id");
    expect(await page.locator('svg.plan-graph a.node[data-step="s1"]').getAttribute("class")).toContain(
      "status-ok",
    );

    // The timeline: planner, both steps, context and answer, each a visible bar.
    const kinds = await page
      .locator("svg.timeline g.bar")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
    expect(kinds).toEqual(["pseudonymize", "planner", "step", "step", "context", "answer"]);
    for (const bar of await page.locator("svg.timeline g.bar rect").all()) {
      const box = await bar.boundingBox();
      expect(box!.width).toBeGreaterThan(0);
    }

    // Placeholders: highlighted in what the cloud saw, and the value they replaced in what was typed.
    const cloudMark = page.locator("pre.prompt.cloud mark.ph");
    expect(await cloudMark.textContent()).toMatch(/^<[A-Z]+_1>$/);
    const typedMark = page.locator("pre.prompt.typed mark.ph-value");
    expect(await typedMark.textContent()).toBe("Maria Keller");
    const background = await cloudMark.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).not.toBe("rgba(0, 0, 0, 0)"); // the stylesheet loaded under the CSP
    expect(await page.locator("pre.prompt.cloud").textContent()).not.toContain("Maria Keller");

    // What left: the exact body, with its destination host.
    expect(await page.locator("article.egress code.host").first().textContent()).toBe(
      new URL(scenario.cloud.url).host,
    );
    expect(await page.locator("article.egress pre.egress-body").first().textContent()).toBe(
      scenario.cloud.requests[0].body,
    );

    // The answer's citations link to the steps; the client script links graph, table and timeline.
    expect(await page.locator(".answer a.cite").evaluateAll((els) => els.map((e) => e.textContent))).toEqual([
      "s1",
      "s2",
    ]);
    await page.hover('svg.plan-graph a.node[data-step="s2"]');
    expect(await page.locator('tr[data-step="s2"]').getAttribute("class")).toContain("hl");
    expect(await page.locator('svg.timeline g.bar[data-step="s2"]').getAttribute("class")).toContain("hl");
    await browser.screenshot("console-run");
    expect(cspErrors, cspErrors.join("\n")).toEqual([]);
  });

  it("shows no value of the blocked run on any console page (canary check over every page's HTML)", async () => {
    const { page } = browser;
    const seen = new Set<string>();
    const queue = ["/console/runs", "/console/egress", `/console/runs/${scenario.runs.blocked}`];
    while (queue.length > 0 && seen.size < 40) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await page.goto(`${scenario.url}${path}`);
      expect(response?.status(), path).toBeLessThan(400);
      const html = await page.content();
      expect(html, path).not.toContain(SCENARIO_CANARY);
      for (const href of await page
        .locator("a[href^='/console/']")
        .evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) {
        const clean = href.split("#")[0];
        if (!clean.includes("/assets/") && !clean.includes("/egress/")) queue.push(clean);
      }
    }
    expect(seen.has(`/console/runs/${scenario.runs.blocked}`)).toBe(true);
    await page.goto(`${scenario.url}/console/runs/${scenario.runs.blocked}`);
    expect(await page.locator(".callout.blocked code").textContent()).toBe("EGRESS_BLOCKED");
    await browser.screenshot("console-blocked-run");
  });

  it("verifies the audit log with the Verify now button", async () => {
    const { page } = browser;
    await page.goto(`${scenario.url}/console/egress`);
    // Both requests went through the egress guard: one allowed, one blocked, each with its record.
    expect(await page.locator(".audit-state").textContent()).toContain("Records2");
    expect(await page.locator("table.audit-blocked tbody tr").count()).toBe(1);
    await Promise.all([page.waitForURL(/\/console\/audit\/verify$/), page.click("#verify-form button")]);
    expect(await page.locator("#verify-result strong").textContent()).toBe("Verified");
    expect(await page.locator("#verify-result pre").textContent()).toMatch(/^Audit log OK: 2 record\(s\)/);
    await browser.screenshot("console-egress");
  });

  it("logs out, then refuses a non-admin token with 403", async () => {
    const { page } = browser;
    await page.goto(`${scenario.url}/console/runs`);
    await Promise.all([page.waitForURL(/\/console\/login$/), page.click("form.logout button")]);
    expect((await browser.context.cookies()).find((c) => c.name === "flm_console")).toBeUndefined();
    const response = await signIn(ANALYST_TOKEN);
    expect(response.status()).toBe(403);
    expect(await page.locator(".login .error").textContent()).toContain("does not have the admin role");
    const direct = await page.goto(`${scenario.url}/console/runs`);
    expect(new URL(direct!.url()).pathname).toBe("/console/login");
  });
});
