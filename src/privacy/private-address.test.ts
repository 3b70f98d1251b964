import { describe, expect, it } from "vitest";
import { isLocalHost, isPrivateAddress } from "./private-address.js";

describe("private addresses", () => {
  it("accepts loopback, private, link-local and CGNAT ranges, v4 and v6", () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.1.1",
      "100.64.0.1",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:10.0.0.1",
      "[::1]",
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
  });
  it("refuses public addresses and names", () => {
    for (const a of [
      "8.8.8.8",
      "172.32.0.1",
      "192.169.0.1",
      "100.128.0.1",
      "2001:4860::8888",
      "api.openai.com",
    ]) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });
  it("treats loopback names and private literals as local, never a name by its suffix (#13)", () => {
    for (const h of ["localhost", "gpu.localhost", "10.0.0.5", "[::1]"]) expect(isLocalHost(h), h).toBe(true);
    // `*.local` / `*.internal` can resolve anywhere: the trust policy resolves them (trust-policy.ts).
    for (const h of ["api.openai.com", "example.org", "8.8.8.8", "ollama.local", "llm.internal"])
      expect(isLocalHost(h), h).toBe(false);
  });
});
