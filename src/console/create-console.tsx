import { getConnInfo } from "@hono/node-server/conninfo";
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { secureHeaders } from "hono/secure-headers";
import { FlmError } from "../errors/flm-error.js";
import { createTokenAuth, type GatewayUser } from "../server/token-auth.js";
import type { Caller } from "../tools/caller.js";
import { RUN_STATUSES, type RunStatus } from "../traces/run-record.js";
import { TraceQueryError } from "../traces/trace-errors.js";
import type { RunQuery, TraceStore } from "../traces/trace-store.js";
import { ASSETS } from "./assets.js";
import type { AuditVerification, ConsoleAudit } from "./console-audit.js";
import { type ConsoleSession, createSessionCodec } from "./console-session.js";
import { createLoginThrottle } from "./login-throttle.js";
import { EgressPage, type EgressPageProps } from "./views/egress-page.js";
import type { PageChrome } from "./views/layout.js";
import { LoginPage } from "./views/login-page.js";
import { MessagePage } from "./views/message-page.js";
import { RunPageView } from "./views/run-page.js";
import { RunsPage, type RunsFilter } from "./views/runs-page.js";

export interface ConsoleOptions {
  traces: TraceStore;
  /** The gateway's users; the console accepts the same bearer tokens. */
  users: GatewayUser[];
  /** The audit log's state, blocked records and "verify now"; absent when no audit log is configured. */
  audit?: ConsoleAudit;
  /** Role a user needs (default `admin`). */
  adminRole?: string;
  /** Session lifetime (default 8 hours). */
  sessionTtlMs?: number;
  /** `Secure` cookies: `auto` (default) when the request came over https or `X-Forwarded-Proto: https`. */
  secureCookies?: boolean | "auto";
  /** Where the console is mounted (default `/console`). */
  basePath?: string;
  now?: () => number;
  /** Unexpected errors (default console.error). */
  onError?: (error: unknown) => void;
}

type Env = { Variables: { caller: Caller; session?: ConsoleSession } };

const COOKIE = "flm_console";
const CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/**
 * The operator console: a Hono app to mount at `basePath` on the gateway. Server-rendered pages
 * (runs, one run, egress and audit) for users with the admin role, signed in by bearer token
 * (`Authorization` header, or the login form, which then keeps an HttpOnly, SameSite=Strict
 * session cookie). Every POST needs the session's CSRF token and a same-origin request.
 */
export function createConsole(options: ConsoleOptions): Hono<Env> {
  const base = options.basePath ?? "/console";
  const role = options.adminRole ?? "admin";
  const now = options.now ?? Date.now;
  const authenticate = createTokenAuth(options.users);
  const sessions = createSessionCodec({ users: options.users, ttlMs: options.sessionTtlMs, now });
  const throttle = createLoginThrottle({ now });
  const onError = options.onError ?? ((e: unknown) => console.error("[flm console]", e));
  const { traces } = options;
  const app = new Hono<Env>();

  const page = async (c: Context, node: unknown, status = 200) =>
    c.html(`<!doctype html>${await (node as Promise<string> | string)}`, status as 200);
  const chrome = (c: Context<Env>, title: string): PageChrome => {
    const s = c.get("session");
    const caller = c.get("caller");
    return { base, title, user: caller ? { id: caller.id, csrf: s?.csrf ?? "" } : undefined };
  };
  const message = (c: Context<Env>, status: number, heading: string, text: string, hint?: string) =>
    page(c, <MessagePage {...chrome(c, heading)} heading={heading} message={text} hint={hint} />, status);

  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: CSP,
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: "same-origin",
      xFrameOptions: "DENY",
    }),
  );
  app.onError((error, c) => {
    if (TraceQueryError.isInstance(error))
      return message(c, 400, "Bad request", error.message.replace(error.hint ?? "", "").trim(), error.hint);
    if (FlmError.isInstance(error))
      return message(
        c,
        503,
        "Unavailable",
        `${error.code}: ${error.message}`,
        "The console reads the trace store and the audit log; check their configuration.",
      );
    onError(error);
    return message(c, 500, "Internal error", "Something went wrong rendering this page.");
  });

  for (const asset of Object.values(ASSETS)) {
    app.get(`/assets/${asset.name}`, (c) =>
      c.body(asset.body, 200, {
        "content-type": asset.type,
        "cache-control": "public, max-age=31536000, immutable",
      }),
    );
  }

  app.get("/login", (c) => page(c, <LoginPage base={base} next={safeNext(c.req.query("next"), base)} />));
  app.post("/login", async (c) => {
    if (!sameOrigin(c)) return message(c, 403, "Forbidden", "Cross-site sign-in refused.");
    const client = clientAddress(c);
    const wait = throttle.retryAfter(client);
    if (wait > 0) {
      c.header("retry-after", String(wait));
      return page(
        c,
        <LoginPage base={base} error={`Too many failed sign-ins. Try again in ${wait} s.`} />,
        429,
      );
    }
    const form = await c.req.parseBody();
    const token = typeof form.token === "string" ? form.token.trim() : "";
    const next = safeNext(typeof form.next === "string" ? form.next : undefined, base);
    const caller = token ? authenticate(`Bearer ${token}`) : undefined;
    if (!caller) {
      throttle.fail(client);
      return page(c, <LoginPage base={base} next={next} error="Unknown token." />, 401);
    }
    throttle.succeed(client);
    if (!caller.roles.includes(role))
      return page(
        c,
        <LoginPage
          base={base}
          next={next}
          error={`The user "${caller.id}" does not have the ${role} role.`}
        />,
        403,
      );
    const issued = sessions.issue(token)!;
    setCookie(c, COOKIE, issued.cookie, {
      path: base,
      httpOnly: true,
      sameSite: "Strict",
      secure: secure(c, options.secureCookies),
      maxAge: Math.floor(sessions.ttlMs / 1000),
    });
    return c.redirect(next ?? `${base}/runs`, 303);
  });

  // Everything below needs an admin: by bearer header (scripts) or session cookie (browsers).
  app.use("*", async (c, next) => {
    const header = c.req.header("authorization");
    let caller: Caller | undefined;
    if (header) {
      caller = authenticate(header);
      if (!caller) return message(c, 401, "Sign in", "Unknown bearer token.");
    } else {
      const session = sessions.read(getCookie(c, COOKIE));
      if (!session) {
        if (c.req.method === "GET") {
          return c.redirect(`${base}/login?${new URLSearchParams({ next: c.req.path })}`, 303);
        }
        return message(c, 401, "Sign in", "Your session has expired. Sign in again.");
      }
      caller = session.caller;
      c.set("session", session);
    }
    if (!caller.roles.includes(role))
      return message(c, 403, "Forbidden", `The user "${caller.id}" does not have the ${role} role.`);
    c.set("caller", caller);
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const session = c.get("session");
      if (session) {
        const form = await c.req.parseBody();
        if (!sameOrigin(c) || !sessions.checkCsrf(session, form._csrf))
          return message(
            c,
            403,
            "Forbidden",
            "This form is stale or came from another site. Reload the page and try again.",
          );
      }
    }
    await next();
  });

  app.post("/logout", (c) => {
    const session = c.get("session");
    if (session) sessions.revoke(session);
    deleteCookie(c, COOKIE, { path: base, secure: secure(c, options.secureCookies) });
    return c.redirect(`${base}/login`, 303);
  });

  app.get("/", (c) => c.redirect(`${base}/runs`, 303));

  app.get("/runs", async (c) => {
    const filter = readFilter(c);
    const query = toQuery(filter);
    query.cursor = c.req.query("cursor") || undefined;
    const [runs, facets, stats] = await Promise.all([traces.list(query), traces.facets(), traces.stats()]);
    return page(
      c,
      <RunsPage
        {...chrome(c, "Runs")}
        page={runs}
        filter={filter}
        facets={facets}
        stats={stats}
        limits={traces.limits}
      />,
    );
  });

  app.get("/runs/:id", async (c) => {
    const run = await traces.get(c.req.param("id"));
    if (!run)
      return message(
        c,
        404,
        "Run not found",
        `No run ${c.req.param("id")}.`,
        `Runs are kept for ${traces.limits.retentionDays} days (traces.retentionDays), and the oldest go first when the store is full.`,
      );
    return page(c, <RunPageView {...chrome(c, `Run ${run.id.slice(0, 8)}`)} run={run} />);
  });

  app.get("/runs/:id/egress/:n", async (c) => {
    const run = await traces.get(c.req.param("id"));
    const egress = run?.trace.egress[Number(c.req.param("n"))];
    if (!run || !egress || egress.decision === "blocked")
      return message(c, 404, "Not found", "No such egress body (blocked bodies are never kept).");
    return c.body(egress.body, 200, {
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="${run.id.replace(/[^\w.-]/g, "_")}-egress-${c.req.param("n")}.json"`,
      "x-flm-original-bytes": String(egress.bytes),
      "x-flm-sha256": egress.sha256,
    });
  });

  const egressPage = async (c: Context<Env>, verification?: AuditVerification, status = 200) => {
    const blocked = await traces.list({
      blocked: true,
      cursor: c.req.query("cursor") || undefined,
      limit: 50,
    });
    let audit: EgressPageProps["audit"];
    if (options.audit) {
      audit = { blocked: [], verification };
      try {
        [audit.state, audit.blocked] = await Promise.all([
          options.audit.state(),
          options.audit.recentBlocked(),
        ]);
      } catch (error) {
        audit.error = `The audit log could not be read: ${(error as Error).message}`;
      }
    }
    return page(c, <EgressPage {...chrome(c, "Egress & audit")} blocked={blocked} audit={audit} />, status);
  };
  app.get("/egress", (c) => egressPage(c));
  app.post("/audit/verify", async (c) => {
    if (!options.audit) return message(c, 404, "No audit log", "No audit log is configured.");
    let verification: AuditVerification;
    try {
      verification = await options.audit.verify();
    } catch (error) {
      verification = {
        ok: false,
        text: `Could not verify: ${(error as Error).message}`,
        at: new Date(now()).toISOString(),
      };
    }
    return egressPage(c, verification);
  });

  app.all("*", (c) => message(c, 404, "Not found", `No console page ${c.req.path}.`));
  return app;
}

function readFilter(c: Context): RunsFilter {
  const q = (name: string) => c.req.query(name)?.trim() || undefined;
  return {
    user: q("user"),
    agent: q("agent"),
    status: q("status"),
    blocked: q("blocked"),
    from: q("from"),
    to: q("to"),
    minMs: q("minMs"),
    limit: q("limit"),
  };
}

function toQuery(f: RunsFilter): RunQuery {
  const query: RunQuery = { userId: f.user, agent: f.agent };
  if (f.status) {
    if (!RUN_STATUSES.includes(f.status as RunStatus))
      throw new TraceQueryError(`Unknown status "${f.status}".`, `Use one of: ${RUN_STATUSES.join(", ")}.`);
    query.status = f.status as RunStatus;
  }
  if (f.blocked === "yes" || f.blocked === "no") query.blocked = f.blocked === "yes";
  if (f.from) query.from = parseTime(f.from, "From");
  if (f.to) query.to = parseTime(f.to, "To");
  if (f.minMs) query.minDurationMs = parseNumber(f.minMs, "Slower than");
  if (f.limit) query.limit = parseNumber(f.limit, "Per page");
  return query;
}

/** An ISO time; without a zone (as a datetime-local field sends it) it is UTC, like every time shown. */
function parseTime(text: string, name: string): Date {
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`;
  const d = new Date(zoned);
  if (!Number.isFinite(d.getTime()))
    throw new TraceQueryError(
      `"${name}" is not a date and time: ${text}.`,
      "Use the form's date picker, or an ISO 8601 time.",
    );
  return d;
}

function parseNumber(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0)
    throw new TraceQueryError(`"${name}" must be a number >= 0.`, "Clear the field or enter a number.");
  return n;
}

/** Only paths inside the console (never another site) are followed after sign-in. */
function safeNext(next: string | undefined, base: string): string | undefined {
  return next?.startsWith(`${base}/`) && !next.startsWith("//") && !/[\\\s]/.test(next) ? next : undefined;
}

/**
 * A browser's form POST from this very site. `Sec-Fetch-Site` (sent by every current browser)
 * must say same-origin; an `Origin`, when sent and not opaque, must name this host.
 */
function sameOrigin(c: Context): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = c.req.header("origin");
  if (!origin) return true;
  if (origin === "null") return site === "same-origin";
  try {
    const host = c.req.header("x-forwarded-host") ?? c.req.header("host") ?? new URL(c.req.url).host;
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function secure(c: Context, setting: ConsoleOptions["secureCookies"] = "auto"): boolean {
  if (setting !== "auto") return setting;
  const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim();
  return proto === "https" || new URL(c.req.url).protocol === "https:";
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
