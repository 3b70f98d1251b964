import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { GatewayUser } from "../server/token-auth.js";
import type { Caller } from "../tools/caller.js";

/** A signed-in console user. `csrf` goes into every form that POSTs. */
export interface ConsoleSession {
  caller: Caller;
  expiresAt: number;
  csrf: string;
  nonce: string;
}

export interface SessionCodecOptions {
  users: GatewayUser[];
  /** Session lifetime (default 8 hours). */
  ttlMs?: number;
  now?: () => number;
}

export const DEFAULT_SESSION_TTL_MS = 8 * 3_600_000;

/**
 * Stateless console sessions. The cookie holds `{user id, key id, expiry, nonce}` and an
 * HMAC-SHA256 whose key is derived from that user's bearer token, so:
 * - only someone who knows the token could have minted it (no extra server secret to manage);
 * - every gateway replica with the same users accepts it, and it survives restarts;
 * - rotating a user's token (or removing the user, or their admin role) ends their sessions.
 * Logout revokes the nonce in this process until the session would have expired.
 */
export function createSessionCodec(options: SessionCodecOptions) {
  const ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  const now = options.now ?? Date.now;
  const keys = options.users.map((u) => {
    const digest = createHash("sha256").update(u.token).digest();
    return {
      userId: u.id,
      kid: createHash("sha256").update(digest).digest("hex").slice(0, 12),
      key: createHmac("sha256", digest).update("flm-console-session-v1").digest(),
      caller: { id: u.id, roles: [...(u.roles ?? [])], attributes: u.attributes } satisfies Caller,
    };
  });
  const revoked = new Map<string, number>();
  const mac = (key: Buffer, data: string) => createHmac("sha256", key).update(data).digest();
  const csrfFor = (key: Buffer, nonce: string) => mac(key, `csrf:${nonce}`).toString("base64url");

  const session = (k: (typeof keys)[number], expiresAt: number, nonce: string): ConsoleSession => ({
    caller: k.caller,
    expiresAt,
    nonce,
    csrf: csrfFor(k.key, nonce),
  });

  return {
    ttlMs,
    /** A new session for the user holding `token` (already authenticated by the caller). */
    issue(token: string): { cookie: string; session: ConsoleSession } | undefined {
      const digest = createHash("sha256").update(token).digest();
      const kid = createHash("sha256").update(digest).digest("hex").slice(0, 12);
      const k = keys.find((x) => x.kid === kid);
      if (!k) return undefined;
      const expiresAt = now() + ttlMs;
      const nonce = randomBytes(16).toString("base64url");
      const payload = Buffer.from(JSON.stringify({ u: k.userId, k: kid, e: expiresAt, n: nonce })).toString(
        "base64url",
      );
      const cookie = `${payload}.${mac(k.key, payload).toString("base64url")}`;
      return { cookie, session: session(k, expiresAt, nonce) };
    },
    /** The session a cookie stands for, or undefined when forged, expired, revoked or its user is gone. */
    read(cookie: string | undefined): ConsoleSession | undefined {
      if (!cookie || cookie.length > 1024) return undefined;
      const [payload, signature, extra] = cookie.split(".");
      if (!payload || !signature || extra !== undefined) return undefined;
      let claims: { u?: unknown; k?: unknown; e?: unknown; n?: unknown };
      try {
        claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      } catch {
        return undefined;
      }
      const k = keys.find((x) => x.kid === claims.k && x.userId === claims.u);
      if (!k || typeof claims.e !== "number" || typeof claims.n !== "string") return undefined;
      const expected = mac(k.key, payload);
      const given = Buffer.from(signature, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      if (claims.e <= now() || revoked.has(claims.n)) return undefined;
      return session(k, claims.e, claims.n);
    },
    /** Checks a form's CSRF token against the session (constant time). */
    checkCsrf(s: ConsoleSession, token: unknown): boolean {
      if (typeof token !== "string") return false;
      const a = Buffer.from(token);
      const b = Buffer.from(s.csrf);
      return a.length === b.length && timingSafeEqual(a, b);
    },
    revoke(s: ConsoleSession): void {
      const t = now();
      for (const [n, exp] of revoked) if (exp <= t) revoked.delete(n);
      revoked.set(s.nonce, s.expiresAt);
    },
  };
}

export type SessionCodec = ReturnType<typeof createSessionCodec>;
