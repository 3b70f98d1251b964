import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRecord, makeTrace } from "../../test/helpers/run-records.js";
import { generateAuditKey } from "../privacy/audit/audit-key.js";
import type { AuditLog } from "../privacy/audit/audit-log.js";
import { openAuditLog } from "../privacy/audit/open-audit-log.js";
import type { SqliteAuditStore } from "../privacy/audit/sqlite-audit-store.js";
import { buildRunRecord } from "../traces/run-record.js";
import { openSqliteTraceStore } from "../traces/sqlite-trace-store.js";
import type { TraceStore } from "../traces/trace-store.js";
import { consoleAudit } from "./console-audit.js";
import { createConsole } from "./create-console.js";

const ADMIN = "admin-token-0123456789";
const ANALYST = "analyst-token-0123456789";
const users = [
  { token: ADMIN, id: "root", roles: ["admin"] },
  { token: ANALYST, id: "alice", roles: ["analyst"] },
];
const CANARY = "CANARY-5e1f0c2b77";
const NOW = Date.parse("2026-11-20T10:05:00.000Z");

let dir: string;
let traces: TraceStore;
let audit: AuditLog;
let clock = NOW;
let app: Hono;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flm-console-"));
  traces = await openSqliteTraceStore({ path: ":memory:", now: () => new Date(clock), pruneIntervalMs: 0 });
  await traces.put(makeRecord("run-ok", { at: NOW - 60_000, userId: "alice", agent: "sales" }));
  await traces.put(makeRecord("run-bob", { at: NOW - 50_000, userId: "bob", agent: "hr", status: "error" }));
  // A blocked run whose raw material held the canary everywhere it could.
  const trace = makeTrace("run-blocked", { startedAt: new Date(NOW - 40_000).toISOString() });
  trace.egress[0] = { ...trace.egress[0], decision: "blocked", body: `{"content":"${CANARY}"}` };
  await traces.put(
    buildRunRecord({
      trace,
      userId: "alice",
      agent: "sales",
      prompt: `Send ${CANARY} out`,
      answer: CANARY,
      error: {
        code: "EGRESS_BLOCKED",
        message: "Blocked a request to api.example.com: it would have sent CANARY from canary.",
      },
    }),
  );
  const key = generateAuditKey(join(dir, "audit-key.pem"));
  audit = await openAuditLog(
    { kind: "sqlite", path: join(dir, "audit.db") },
    { keyPath: key.privateKeyPath },
  );
  await audit.append({
    host: "api.example.com",
    model: "m",
    purpose: "plan",
    body: "{}",
    decision: "allowed",
  });
  await audit.append({
    host: "api.example.com",
    model: "m",
    purpose: "plan",
    body: "{}",
    decision: "blocked",
    reason: "CANARY from canary",
    runId: "run-blocked",
    userId: "alice",
  });
  await audit.checkpoint();
  app = new Hono();
  app.route(
    "/console",
    createConsole({ traces, users, audit: consoleAudit(audit), now: () => clock, onError: () => {} }),
  );
});
afterAll(async () => {
  await traces.close();
  await audit.close();
  rmSync(dir, { recursive: true, force: true });
});

const origin = "http://flm.test";
const req = (path: string, init: RequestInit & { cookie?: string } = {}) => {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("cookie", init.cookie);
  return app.request(`${origin}${path}`, { ...init, headers, redirect: "manual" });
};
const form = (fields: Record<string, string>) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { "content-type": "application/x-www-form-urlencoded", origin },
});

async function login(token = ADMIN, headers: Record<string, string> = {}) {
  const f = form({ token });
  const res = await req("/console/login", { ...f, headers: { ...f.headers, ...headers } });
  const setCookie = res.headers.get("set-cookie") ?? "";
  return { res, setCookie, cookie: setCookie.split(";")[0] };
}
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

describe("console sign-in", () => {
  it("sends a browser without a session to the login page, keeping where it was going", async () => {
    const res = await req("/console/runs/run-ok");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/login?next=%2Fconsole%2Fruns%2Frun-ok");
    const login = await req("/console/login?next=/console/runs/run-ok");
    expect(await login.text()).toContain('name="next" value="/console/runs/run-ok"');
  });

  it("signs an admin in with an HttpOnly, SameSite=Strict session cookie scoped to the console", async () => {
    const { res, setCookie } = await login();
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/runs");
    expect(setCookie).toMatch(/^flm_console=[\w-]+\.[\w-]+;/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/console");
    expect(setCookie).toContain("Max-Age=28800");
    expect(setCookie).not.toContain("Secure");
    expect(setCookie).not.toContain(ADMIN);
  });

  it("marks the cookie Secure behind TLS (X-Forwarded-Proto: https)", async () => {
    const { setCookie } = await login(ADMIN, { "x-forwarded-proto": "https" });
    expect(setCookie).toContain("Secure");
  });

  it("refuses an unknown token (401) and a non-admin (403) without a cookie", async () => {
    const unknown = await login("nobody-token-0123456789");
    expect(unknown.res.status).toBe(401);
    expect(unknown.setCookie).toBe("");
    expect(await unknown.res.text()).toContain("Unknown token.");
    const analyst = await login(ANALYST);
    expect(analyst.res.status).toBe(403);
    expect(analyst.setCookie).toBe("");
    expect(await analyst.res.text()).toContain("does not have the admin role");
  });

  it("answers a non-admin bearer token with 403 on every page, and accepts an admin bearer token", async () => {
    for (const path of ["/console/runs", "/console/runs/run-ok", "/console/egress"]) {
      const res = await req(path, { headers: { authorization: `Bearer ${ANALYST}` } });
      expect(res.status, path).toBe(403);
      expect(await res.text()).not.toContain("Hannah");
    }
    const ok = await req("/console/runs", { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(ok.status).toBe(200);
  });

  it("refuses a cross-site login POST", async () => {
    const res = await req("/console/login", {
      ...form({ token: ADMIN }),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("rejects a forged or expired cookie", async () => {
    const { cookie } = await login();
    const [payload] = cookie.slice("flm_console=".length).split(".");
    const forged = `flm_console=${payload}.${"A".repeat(43)}`;
    expect((await req("/console/runs", { cookie: forged })).status).toBe(303);
    clock = NOW + 8 * 3_600_000 + 1;
    try {
      expect((await req("/console/runs", { cookie })).status).toBe(303);
    } finally {
      clock = NOW;
    }
    expect((await req("/console/runs", { cookie })).status).toBe(200);
  });

  it("logs out only with the CSRF token, and the old cookie stops working", async () => {
    const { cookie } = await login();
    const html = await (await req("/console/runs", { cookie })).text();
    const csrf = csrfOf(html);
    expect(csrf).toMatch(/^[\w-]{20,}$/);
    const without = await req("/console/logout", { ...form({}), cookie });
    expect(without.status).toBe(403);
    const wrong = await req("/console/logout", { ...form({ _csrf: `${csrf.slice(0, -2)}xx` }), cookie });
    expect(wrong.status).toBe(403);
    const out = await req("/console/logout", { ...form({ _csrf: csrf }), cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/console/login");
    expect(out.headers.get("set-cookie")).toMatch(/flm_console=;.*Max-Age=0/);
    expect((await req("/console/runs", { cookie })).status).toBe(303);
  });

  it("slows down token guessing: after 10 failures the login answers 429 with retry-after", async () => {
    const from = { "x-real-ip": "ignored" };
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) last = (await login(`wrong-token-${i}-0123456789`, from)).res;
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    clock = NOW + 5 * 60_000 + 1;
    try {
      expect((await login()).res.status).toBe(303);
    } finally {
      clock = NOW;
    }
  });
});

describe("console pages", () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = (await login()).cookie;
  });
  const get = async (path: string) => {
    const res = await req(path, { cookie });
    return { res, html: await res.text() };
  };

  it("sends a strict CSP and no-store on every page, and serves its own assets", async () => {
    const { res, html } = await get("/console/runs");
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(html).not.toMatch(/<script>|<style>| style="|https?:\/\/(?!flm\.test)/);
    for (const href of html.match(/\/console\/assets\/console\.[0-9a-f]+\.(css|js)/g) ?? []) {
      const asset = await req(href);
      expect(asset.status).toBe(200);
      expect(asset.headers.get("cache-control")).toContain("immutable");
    }
    expect(html.match(/\/console\/assets\//g)).toHaveLength(2);
  });

  it("lists runs newest first with every column, and filters them", async () => {
    const { html } = await get("/console/runs");
    const order = [...html.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(["run-blocked", "run-bob", "run-ok"]);
    expect(html).toContain("2026-11-20 10:04:00 UTC");
    expect(html).toMatch(/<td class="num">120<\/td><td class="num">340<\/td>/);
    const bob = await get("/console/runs?user=bob");
    expect([...bob.html.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1])).toEqual(["run-bob"]);
    const blocked = await get("/console/runs?blocked=yes&agent=sales");
    expect([...blocked.html.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1])).toEqual(["run-blocked"]);
    const window = await get("/console/runs?from=2026-11-20T10:04:05&to=2026-11-20T10:04:15");
    expect([...window.html.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1])).toEqual(["run-bob"]);
  });

  it("pages with older/newer links that keep the filters", async () => {
    const p1 = await get("/console/runs?limit=25&agent=sales");
    expect(p1.html).not.toContain("Older →");
    const small = await get("/console/runs?limit=1&user=alice");
    const older = /href="([^"]+)" rel="next"/.exec(small.html)?.[1].replaceAll("&amp;", "&");
    expect(older).toContain("user=alice");
    const p2 = await get(older!);
    expect([...p2.html.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1])).toEqual(["run-ok"]);
    expect(p2.html).toContain('rel="prev"');
  });

  it("answers a bad filter with 400 and what to do", async () => {
    const bad = await get("/console/runs?from=yesterday");
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain("is not a date and time");
    expect((await get("/console/runs?cursor=garbage")).res.status).toBe(400);
    expect((await get("/console/runs?status=weird")).res.status).toBe(400);
  });

  it("shows a run: prompts side by side with placeholders, plan graph, timeline, egress, cited answer", async () => {
    const { res, html } = await get("/console/runs/run-ok");
    expect(res.status).toBe(200);
    expect(html).toContain('<mark class="ph" data-ph="&lt;PERSON_1&gt;">&lt;PERSON_1&gt;</mark>');
    expect(html).toContain(
      '<mark class="ph-value" data-ph="&lt;PERSON_1&gt;" title="sent as &lt;PERSON_1&gt;">Hannah Schneider</mark>',
    );
    expect(html).toMatch(/<svg class="plan-graph"[^>]*data-steps="2" data-edges="1"/);
    expect(html).toContain('class="edge" data-from="s1" data-to="s2"');
    expect(html).toContain(">rows[0].id</text>");
    expect(html).toMatch(/<svg class="timeline"[^>]*data-bars="6"/);
    expect(html).toContain('<code class="host">api.example.com</code>');
    expect(html).toContain('<a href="#step-s2" class="cite" data-step="s2">s2</a>');
    expect(html).toContain('id="step-s1"');
  });

  it("serves an egress body's exact bytes as a download", async () => {
    const res = await req("/console/runs/run-ok/egress/0", { cookie });
    const record = await traces.get("run-ok");
    expect(await res.text()).toBe(record!.trace.egress[0].body);
    expect(res.headers.get("content-disposition")).toContain("attachment");
    expect(res.headers.get("x-flm-sha256")).toBe(record!.trace.egress[0].sha256);
    expect((await req("/console/runs/run-blocked/egress/0", { cookie })).status).toBe(404);
  });

  it("says 404 for an unknown run and an unknown page", async () => {
    const run = await get("/console/runs/nope");
    expect(run.res.status).toBe(404);
    expect(run.html).toContain("traces.retentionDays");
    expect((await get("/console/whatever")).res.status).toBe(404);
  });

  it("lists blocked requests with their reason and the audit chain's state", async () => {
    const { html } = await get("/console/egress");
    expect(html).toContain('data-run="run-blocked"');
    expect(html).toContain("it would have sent CANARY from canary");
    expect(html).toMatch(/<dt>Records<\/dt><dd>2<\/dd>/);
    expect(html).toContain("latest #1 covers 2 records");
    expect(html).toContain("CANARY from canary</td>");
    expect(html).toContain('id="verify-form"');
  });

  it("verifies the audit log on demand (CSRF-protected) and shows a failure after tampering", async () => {
    const page = await get("/console/egress");
    const csrf = csrfOf(page.html);
    const cross = await req("/console/audit/verify", {
      ...form({ _csrf: csrf }),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      cookie,
    });
    expect(cross.status).toBe(403);
    const ok = await req("/console/audit/verify", { ...form({ _csrf: csrf }), cookie });
    const okHtml = await ok.text();
    expect(ok.status).toBe(200);
    expect(okHtml).toContain("Verified");
    expect(okHtml).toContain("Audit log OK: 2 record(s), 1 checkpoint(s), 1 validly signed.");
    const db = (audit.store as SqliteAuditStore).db;
    db.exec("DROP TRIGGER audit_records_no_update");
    db.exec("UPDATE audit_records SET host = 'elsewhere.example' WHERE seq = 1");
    const bad = await (await req("/console/audit/verify", { ...form({ _csrf: csrf }), cookie })).text();
    expect(bad).toContain("Verification FAILED");
    expect(bad).toContain("Audit log FAILED verification: edited at record 1.");
  });

  it("never shows a blocked run's content on any page", async () => {
    const pages = [
      "/console/runs",
      "/console/runs?blocked=yes",
      "/console/runs/run-blocked",
      "/console/egress",
      "/console/runs/run-blocked/egress/0",
    ];
    for (const path of pages) {
      const { html } = await get(path);
      expect(html, path).not.toContain(CANARY);
    }
    const run = await get("/console/runs/run-blocked");
    expect(run.html).toContain("A blocked run keeps no prompt, answer or blocked body");
  });
});
