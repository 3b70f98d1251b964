import type { Context } from "hono";
import type { Caller } from "../tools/caller.js";
import { GatewayError } from "./gateway-errors.js";

/** What the gateway's admin routes can do (the runtime provides it). */
export interface GatewayAdmin {
  /** Refreshes the index of sensitive values; resolves to a report of what was read. */
  refreshIndex(options: { full: boolean }): Promise<unknown>;
}

/** The role a gateway user needs for /v1/admin/*. */
export const ADMIN_ROLE = "admin";

/**
 * POST /v1/admin/index/refresh[?full=true]: picks up rows added (or, with `full`, removed) in the
 * sources' sensitive columns now, instead of at the next interval. Users with the `admin` role only.
 */
export function refreshIndexHandler(admin: GatewayAdmin | undefined) {
  return async (c: Context<{ Variables: { caller: Caller } }>): Promise<Response> => {
    if (!c.get("caller").roles.includes(ADMIN_ROLE))
      throw new GatewayError(403, "forbidden", "Refreshing the index needs the admin role.", {
        hint: `Give the user roles: ["${ADMIN_ROLE}"] in the configuration.`,
      });
    if (!admin)
      throw new GatewayError(404, "not_found", "This gateway has no sensitive index to refresh.", {
        hint: "Privacy is off, or the gateway was built without a runtime.",
      });
    const full = c.req.query("full") === "true";
    return c.json({ object: "index.refresh", ...((await admin.refreshIndex({ full })) as object) });
  };
}
