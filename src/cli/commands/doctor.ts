import { statSync } from "node:fs";
import type { FlmConfig } from "../../config/load-config.js";
import { configPath } from "../../config/load-config.js";
import { buildRuntime, type Runtime } from "../../runtime/build-runtime.js";
import type { CliIO } from "../cli-io.js";
import { type GlobalOptions, localCaller, openConfig } from "../open-runtime.js";

export interface DoctorOptions {
  json?: boolean;
  /** `--no-cloud`: skip the planner's round trip to the cloud. */
  cloud?: boolean;
  /** Per model call, in milliseconds (default 60 s). */
  timeoutMs?: number;
}

/** One finding: `ok`, a `warn`ing (works, but worth fixing) or a `fail`ure (exit 1). */
export interface DoctorCheck {
  name: string;
  status: "ok" | "warn" | "fail";
  detail: string;
  /** What to do about it. */
  fix?: string;
  ms?: number;
}

const PING = "Reply with the single word OK.";

function failureOf(error: unknown): { detail: string; fix?: string } {
  const e = error as { code?: string; message?: string; hint?: string };
  return { detail: `${e.code ? `${e.code}: ` : ""}${e.message ?? String(error)}`, fix: e.hint };
}

async function timedCheck(
  name: string,
  run: () => Promise<Omit<DoctorCheck, "name" | "ms">>,
): Promise<DoctorCheck> {
  const t0 = performance.now();
  try {
    const result = await run();
    return { name, ...result, ms: Math.round(performance.now() - t0) };
  } catch (error) {
    return { name, status: "fail", ...failureOf(error), ms: Math.round(performance.now() - t0) };
  }
}

/** The audit log and its signing key: present, and the key readable by its owner only. */
export function auditChecks(config: FlmConfig): DoctorCheck[] {
  const audit = config.audit;
  if (!audit) {
    return [
      {
        name: "audit log",
        status: "warn",
        detail: "no audit log: cloud requests are not recorded",
        fix: "Add audit: { path: flm-audit.db, keyPath: flm-audit.key } (create the key with flm audit keygen flm-audit.key).",
      },
    ];
  }
  const checks: DoctorCheck[] = [
    {
      name: "audit log",
      status: "ok",
      detail: audit.path ? `SQLite ${configPath(config, audit.path)}` : "PostgreSQL",
    },
  ];
  if (!audit.keyPath) {
    checks.push({
      name: "audit key",
      status: "warn",
      detail: "no signing key: checkpoints are not signed, so a rewritten log is harder to prove",
      fix: "Create one with flm audit keygen flm-audit.key and set audit.keyPath.",
    });
    return checks;
  }
  const keyPath = configPath(config, audit.keyPath);
  let mode: number;
  try {
    mode = statSync(keyPath).mode;
  } catch {
    checks.push({
      name: "audit key",
      status: "fail",
      detail: `${keyPath} does not exist`,
      fix: `Create it with flm audit keygen ${keyPath}.`,
    });
    return checks;
  }
  const open = mode & 0o077;
  checks.push(
    open
      ? {
          name: "audit key",
          status: "fail",
          detail: `${keyPath} is readable by ${mode & 0o007 ? "everyone" : "its group"} (mode ${(mode & 0o777).toString(8)})`,
          fix: `chmod 600 ${keyPath}`,
        }
      : { name: "audit key", status: "ok", detail: `${keyPath} (mode ${(mode & 0o777).toString(8)})` },
  );
  return checks;
}

/** Each source opens (its own check, or listing its tools). */
async function sourceChecks(runtime: Runtime): Promise<DoctorCheck[]> {
  return Promise.all(
    runtime.sources.map((source) =>
      timedCheck(`source ${source.name}`, async () => {
        const result = source.check
          ? await source.check()
          : { ok: true, detail: `${(await source.tools()).length} tools` };
        return result.ok
          ? { status: "ok", detail: result.detail }
          : {
              status: "fail",
              detail: result.detail,
              fix: `flm tools check shows the same; check tools[] entry "${source.name}".`,
            };
      }),
    ),
  );
}

/** Each agent's local model answers, and how fast. */
async function generatorChecks(runtime: Runtime, timeoutMs: number): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const [name, agent] of Object.entries(runtime.agents)) {
    checks.push(
      await timedCheck(`generator ${name}`, async () => {
        const answer = await agent.answerLocally(PING, {
          maxOutputTokens: 8,
          signal: AbortSignal.timeout(timeoutMs),
        });
        return {
          status: "ok",
          detail: `${runtime.describe(name).generator} answered (${answer.usage.outputTokens} token(s))`,
        };
      }),
    );
  }
  return checks;
}

/**
 * Each agent's planner answers; a cloud planner is reached only through the egress guard (the
 * request is recorded by the guard's tap and checked: a prompt with nothing sensitive, so it
 * passes) and never at all with privacy off.
 */
async function plannerChecks(
  runtime: Runtime,
  options: DoctorOptions,
  timeoutMs: number,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const [name, agent] of Object.entries(runtime.agents)) {
    const planner = runtime.describe(name).planner;
    const cloud = planner.startsWith("cloud:");
    if (!cloud) {
      checks.push({
        name: `planner ${name}`,
        status: "ok",
        detail: `${planner}: plans locally, nothing leaves`,
      });
      continue;
    }
    if (!runtime.privacy) {
      checks.push({
        name: `guard ${name}`,
        status: "fail",
        detail: `privacy is disabled: requests to ${planner} are not checked by the egress guard`,
        fix: "Remove privacy.enabled: false (the guard refuses any sensitive value before it leaves).",
      });
    }
    if (options.cloud === false) {
      checks.push({ name: `planner ${name}`, status: "warn", detail: `${planner}: not called (--no-cloud)` });
      continue;
    }
    checks.push(
      await timedCheck(`planner ${name}`, async () => {
        const { trace } = await agent.plan("Which tools can answer questions here?", {
          user: localCaller(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const sent = trace.egress;
        if (sent.length === 0) {
          return {
            status: "fail",
            detail: `${planner} answered, but no request passed the egress guard`,
            fix: "The planner's HTTP calls bypass flm's guarded fetch: report this as a bug.",
          };
        }
        const hosts = [...new Set(sent.map((e) => e.host))].join(", ");
        const bytes = sent.reduce((n, e) => n + e.bytes, 0);
        return {
          status: "ok",
          detail: `${planner} answered; ${sent.length} request(s), ${bytes} bytes to ${hosts}, all through the egress guard${runtime.audit ? " (audited)" : ""}`,
        };
      }),
    );
  }
  return checks;
}

/** Runs every check; never throws for what it finds (a broken config is a failed check). */
export async function runDoctor(
  globals: GlobalOptions,
  io: CliIO,
  options: DoctorOptions = {},
): Promise<DoctorCheck[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  let config: FlmConfig;
  try {
    config = await openConfig(globals, io);
  } catch (error) {
    return [{ name: "config", status: "fail", ...failureOf(error) }];
  }
  const checks: DoctorCheck[] = [
    { name: "config", status: "ok", detail: config.source.path ?? "from flags" },
    ...auditChecks(config),
  ];
  let runtime: Runtime;
  try {
    runtime = await buildRuntime(config, { agent: globals.agent });
  } catch (error) {
    return [...checks, { name: "runtime", status: "fail", ...failureOf(error) }];
  }
  try {
    checks.push(...(await sourceChecks(runtime)));
    checks.push(...(await generatorChecks(runtime, timeoutMs)));
    checks.push(...(await plannerChecks(runtime, options, timeoutMs)));
  } finally {
    await runtime.close();
  }
  return checks;
}

/** `flm doctor`: what works, what does not, and what to do about it. Exit 1 when a check fails. */
export async function doctorCommand(
  options: DoctorOptions,
  globals: GlobalOptions,
  io: CliIO,
): Promise<number> {
  const checks = await runDoctor(globals, io, options);
  const failed = checks.filter((c) => c.status === "fail").length;
  if (options.json) {
    io.print(JSON.stringify({ ok: failed === 0, checks }, null, 2));
    return failed ? 1 : 0;
  }
  const width = Math.max(...checks.map((c) => c.name.length));
  for (const c of checks) {
    const tag = c.status === "ok" ? "ok  " : c.status === "warn" ? "warn" : "FAIL";
    const ms = c.ms !== undefined ? ` (${c.ms} ms)` : "";
    io.print(`${tag}  ${c.name.padEnd(width)}  ${c.detail}${ms}`);
    if (c.fix && c.status !== "ok") io.print(`      ${" ".repeat(width)}  fix: ${c.fix}`);
  }
  const warned = checks.filter((c) => c.status === "warn").length;
  io.print(
    failed
      ? `${failed} problem(s)${warned ? `, ${warned} warning(s)` : ""}: fix the FAIL lines above.`
      : `all good${warned ? ` (${warned} warning(s))` : ""}.`,
  );
  return failed ? 1 : 0;
}
