import { describe, expect, it } from "vitest";
import { createTrustPolicy, type ResolveHost, systemResolver } from "./trust-policy.js";

/** A DNS stub: names to addresses; anything else does not resolve. Counts lookups. */
function stubResolver(table: Record<string, string[]>): ResolveHost & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (name: string) => {
    calls.push(name);
    const addresses = table[name];
    if (!addresses) throw new Error(`getaddrinfo ENOTFOUND ${name}`);
    return addresses;
  };
  return Object.assign(resolve, { calls });
}

const dns = stubResolver({
  "gpu.internal": ["34.117.59.81"],
  "ollama.local": ["192.168.1.20", "fe80::1"],
  "split.example": ["10.0.0.7", "8.8.8.8"],
  "vpn.corp": ["100.64.3.4"],
  "empty.example": [],
});
const policy = createTrustPolicy({
  resolve: dns,
  trustedEndpoints: ["llm.partner.com", "api.gpu.cloud:8443"],
});

describe("trust policy", () => {
  it("refuses names that resolve to any public address, whatever their suffix", async () => {
    expect(await policy.checkHost("gpu.internal")).toMatchObject({
      trusted: false,
      why: "public-address",
      detail: expect.stringContaining("34.117.59.81"),
    });
    expect(await policy.checkUrl("http://split.example:8000/v1")).toMatchObject({ trusted: false });
  });

  it("trusts names whose every address is loopback or private", async () => {
    expect(await policy.checkUrl("http://ollama.local:11434")).toEqual({
      trusted: true,
      why: "private-address",
      addresses: ["192.168.1.20", "fe80::1"],
    });
    expect(await policy.checkHost("vpn.corp")).toMatchObject({ trusted: true });
  });

  it("fails closed on names that do not resolve or have no address", async () => {
    expect(await policy.checkHost("nowhere.example")).toMatchObject({ trusted: false, why: "unresolvable" });
    expect(await policy.checkHost("empty.example")).toMatchObject({ trusted: false, why: "unresolvable" });
    expect(await policy.checkUrl("not a url")).toMatchObject({ trusted: false, why: "invalid-url" });
  });

  it("decides literals and loopback names without DNS", async () => {
    dns.calls.length = 0;
    for (const host of ["127.0.0.1:8080", "10.2.3.4", "[::1]:11434", "localhost:1234", "gpu.localhost"])
      expect((await policy.checkHost(host)).trusted, host).toBe(true);
    for (const host of ["8.8.8.8", "[2606:4700::1111]:443", "0.0.0.0"])
      expect((await policy.checkHost(host)).trusted, host).toBe(false);
    expect(dns.calls).toEqual([]);
  });

  it("trusts declared endpoints by name, with or without the port, without resolving", async () => {
    dns.calls.length = 0;
    expect(await policy.checkUrl("https://llm.partner.com/v1")).toMatchObject({
      trusted: true,
      why: "declared",
    });
    expect(await policy.checkHost("api.gpu.cloud")).toMatchObject({ trusted: true, why: "declared" });
    expect(dns.calls).toEqual([]);
    expect(policy.isDeclared("llm.partner.com:443")).toBe(true);
    expect(policy.isDeclared("partner.com")).toBe(false);
  });

  it("uses the system resolver by default (localhost resolves to loopback)", async () => {
    const addresses = await systemResolver("localhost");
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every((a) => a === "::1" || a.startsWith("127."))).toBe(true);
  });
});
