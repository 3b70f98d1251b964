import { FlmError } from "../../errors/flm-error.js";
import type { CliIO } from "../cli-io.js";
import { type GlobalOptions, openConfig } from "../open-runtime.js";

export interface IndexRefreshOptions {
  url?: string;
  token?: string;
  full?: boolean;
  json?: boolean;
}

interface RefreshReply {
  mode: string;
  added: number;
  values: number;
  durationMs: number;
  sources: Array<{ source: string; mode: string; added: number; error?: string }>;
}

/** The running gateway could not refresh its index (not running, refused, failed). */
export class IndexRefreshError extends FlmError {
  static override readonly marker: string = "federated-lm.IndexRefreshError";
  constructor(message: string, hint: string, cause?: unknown) {
    super("INDEX_REFRESH_FAILED", message, { hint, cause });
  }
}

/**
 * `flm index refresh`: asks the running gateway (`flm serve`) to pick up new rows in the sensitive
 * columns now, through its admin endpoint. URL and admin token default to the config's server and
 * its first user with the `admin` role.
 */
export async function indexRefreshCommand(
  options: IndexRefreshOptions,
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const config = await openConfig(globals, io);
  const base = options.url ?? `http://${config.server?.host ?? "127.0.0.1"}:${config.server?.port ?? 8787}`;
  const token =
    options.token ??
    process.env.FLM_ADMIN_TOKEN ??
    config.users?.find((u) => u.roles?.includes("admin"))?.token;
  if (!token)
    throw new IndexRefreshError(
      "No admin token to call the gateway with.",
      'Pass --token, set FLM_ADMIN_TOKEN, or give a config user roles: ["admin"].',
    );
  io.secrets.push(token);
  const url = `${base.replace(/\/+$/, "")}/v1/admin/index/refresh${options.full ? "?full=true" : ""}`;
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  } catch (cause) {
    throw new IndexRefreshError(
      `Cannot reach the gateway at ${base}.`,
      "Is `flm serve` running there? Pass --url.",
      cause,
    );
  }
  const body = (await response.json().catch(() => ({}))) as RefreshReply & { error?: { message?: string } };
  if (!response.ok)
    throw new IndexRefreshError(
      `The gateway refused the refresh (${response.status}): ${body.error?.message ?? response.statusText}`,
      response.status === 403 ? 'The token\'s user needs roles: ["admin"].' : "See the gateway's log.",
    );
  if (options.json) {
    io.print(JSON.stringify(body, null, 2));
    return;
  }
  io.print(
    `sensitive index refreshed (${body.mode}): ${body.added} new value(s), ${body.values} in all, ${body.durationMs.toFixed(0)} ms`,
  );
  for (const s of body.sources)
    io.print(`  ${s.source}: ${s.mode}${s.added ? `, ${s.added} new` : ""}${s.error ? ` (${s.error})` : ""}`);
}
