import { isIP } from "node:net";

/**
 * Loopback, RFC 1918 / unique-local, link-local and CGNAT ranges: addresses that cannot be a
 * public cloud. Deciding where data may go (generators, embedders) starts here.
 */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "").toLowerCase();
  const v4 = ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  if (isIP(v4) === 4) {
    const [a, b] = v4.split(".").map(Number);
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(ip) === 6) return ip === "::1" || /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip);
  return false;
}

/**
 * A loopback name (`localhost`, `*.localhost`) or a private address literal: decided without DNS.
 * Names like `*.local` or `*.internal` are not trusted by their suffix; whether data may go to a
 * host is the trust policy's decision (`createTrustPolicy`), which resolves names.
 */
export function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  return isPrivateAddress(h);
}
