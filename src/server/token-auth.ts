import { createHash, timingSafeEqual } from "node:crypto";
import type { Caller } from "../tools/caller.js";
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./chat-run.js";
import { GatewayConfigError, GatewayError } from "./gateway-errors.js";
import type { UserLimits } from "./user-limits.js";

export interface GatewayUser {
  /** The bearer token clients send (`Authorization: Bearer <token>`). */
  token: string;
  id: string;
  roles: string[];
  attributes?: Caller["attributes"];
  /** Per-user limits (requests per minute, runs in flight, cloud tokens per day), on all replicas together. */
  limits?: UserLimits;
}

/**
 * Maps a bearer token to its caller. Tokens are compared as SHA-256 digests with
 * timingSafeEqual against every user, without stopping at a match, so neither the token's
 * length nor its position in the list shows in the response time.
 */
export function createTokenAuth(
  users: GatewayUser[],
): (authorization: string | undefined) => Caller | undefined {
  const digests = users.map((user, i) => {
    if (typeof user.token !== "string" || user.token.length < 8) {
      throw new GatewayConfigError(
        `Gateway user ${i} ("${user.id}") has a token shorter than 8 characters.`,
        "Use a long random token, e.g. `openssl rand -hex 32`.",
      );
    }
    if (!user.id)
      throw new GatewayConfigError(
        `Gateway user ${i} has no id.`,
        "Give every user an id; it flows into tool calls.",
      );
    return {
      digest: sha256(user.token),
      caller: { id: user.id, roles: [...(user.roles ?? [])], attributes: user.attributes },
    };
  });
  const seen = new Set<string>();
  for (const d of digests) {
    const key = d.digest.toString("hex");
    if (seen.has(key))
      throw new GatewayConfigError(
        `Two gateway users share a token (one is "${d.caller.id}").`,
        "Give every user its own token.",
      );
    seen.add(key);
  }
  return (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    const presented = sha256(match ? match[1] : "");
    let found: Caller | undefined;
    for (const d of digests) if (timingSafeEqual(d.digest, presented) && !found) found = d.caller;
    return found && match ? found : undefined;
  };
}

function sha256(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Hono middleware: a known bearer token sets `caller`; anything else is 401 with `www-authenticate`. */
export function bearerAuth(
  authenticate: (authorization: string | undefined) => Caller | undefined,
): MiddlewareHandler<{ Variables: { caller: Caller } }> {
  return async (c, next) => {
    const caller = authenticate(c.req.header("authorization"));
    if (!caller) {
      return errorResponse(
        c,
        new GatewayError(401, "invalid_api_key", "Missing or unknown bearer token.", {
          hint: "Send `Authorization: Bearer <token>` with a token configured for a gateway user.",
          headers: { "www-authenticate": 'Bearer realm="flm"' },
        }),
      );
    }
    c.set("caller", caller);
    await next();
  };
}
