import { describe, expect, it } from "vitest";
import { createSessionCodec } from "./console-session.js";
import { createLoginThrottle } from "./login-throttle.js";

const users = [
  { token: "token-root-0123456789", id: "root", roles: ["admin"] },
  { token: "token-ops-0123456789", id: "ops", roles: ["admin"] },
];

describe("console sessions", () => {
  it("round-trips a session without putting the token in the cookie", () => {
    const codec = createSessionCodec({ users });
    const { cookie, session } = codec.issue("token-root-0123456789")!;
    expect(cookie).not.toContain("token-root");
    expect(codec.read(cookie)).toMatchObject({
      caller: { id: "root", roles: ["admin"] },
      csrf: session.csrf,
    });
    expect(codec.issue("unknown-token-0123")).toBeUndefined();
  });

  it("is accepted by another replica with the same users, and refused once the token is rotated", () => {
    const { cookie } = createSessionCodec({ users }).issue("token-ops-0123456789")!;
    expect(createSessionCodec({ users }).read(cookie)?.caller.id).toBe("ops");
    const rotated = [users[0], { ...users[1], token: "token-ops-rotated-0123" }];
    expect(createSessionCodec({ users: rotated }).read(cookie)).toBeUndefined();
  });

  it("refuses a cookie re-signed for another user or tampered with", () => {
    const codec = createSessionCodec({ users });
    const { cookie } = codec.issue("token-ops-0123456789")!;
    const [payload, sig] = cookie.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, u: "root" })).toString("base64url");
    expect(codec.read(`${elevated}.${sig}`)).toBeUndefined();
    const longer = Buffer.from(JSON.stringify({ ...claims, e: claims.e + 1e9 })).toString("base64url");
    expect(codec.read(`${longer}.${sig}`)).toBeUndefined();
    for (const bad of ["", ".", "a.b.c", `${payload}.`, "x".repeat(5000), `!!!.${sig}`])
      expect(codec.read(bad)).toBeUndefined();
  });

  it("expires, and revoked nonces stay revoked", () => {
    let t = 1_000;
    const codec = createSessionCodec({ users, ttlMs: 60_000, now: () => t });
    const a = codec.issue("token-root-0123456789")!;
    const b = codec.issue("token-root-0123456789")!;
    codec.revoke(a.session);
    expect(codec.read(a.cookie)).toBeUndefined();
    expect(codec.read(b.cookie)).toBeDefined();
    t += 60_000;
    expect(codec.read(b.cookie)).toBeUndefined();
  });

  it("checks CSRF tokens per session", () => {
    const codec = createSessionCodec({ users });
    const a = codec.issue("token-root-0123456789")!.session;
    const b = codec.issue("token-root-0123456789")!.session;
    expect(codec.checkCsrf(a, a.csrf)).toBe(true);
    expect(codec.checkCsrf(a, b.csrf)).toBe(false);
    expect(codec.checkCsrf(a, undefined)).toBe(false);
    expect(codec.checkCsrf(a, "")).toBe(false);
  });
});

describe("login throttle", () => {
  it("refuses a client after too many failures until the window passes, per client, with bounded memory", () => {
    let t = 0;
    const throttle = createLoginThrottle({ maxFailures: 3, windowMs: 1000, maxClients: 2, now: () => t });
    for (let i = 0; i < 3; i++) throttle.fail("a");
    expect(throttle.retryAfter("a")).toBe(1);
    expect(throttle.retryAfter("b")).toBe(0);
    t = 1001;
    expect(throttle.retryAfter("a")).toBe(0);
    for (let i = 0; i < 3; i++) throttle.fail("b");
    throttle.fail("c");
    throttle.fail("d");
    expect(throttle.retryAfter("b")).toBe(0); // forgotten: only the 2 newest clients are tracked
  });
});
