import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isPrivateAddress } from "./private-address.js";

/** Every address a host name resolves to (A and AAAA). Injectable, so tests need no real DNS. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export const systemResolver: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export interface TrustPolicyOptions {
  /** Hosts (`name` or `name:port`) declared trusted to see data (`privacy.trustedEndpoints`). */
  trustedEndpoints?: readonly string[];
  resolve?: ResolveHost;
}

export type TrustDecision =
  | { trusted: true; why: "declared" | "loopback-name" | "private-address"; addresses?: string[] }
  | { trusted: false; why: "public-address" | "unresolvable" | "invalid-url"; detail: string };

/**
 * Who may see data: the one check for every endpoint that receives tool results or arguments
 * (the generator, a local planner, embedders, OpenAPI and MCP hosts). A host is trusted when it is
 * declared trusted, or is `localhost`/`*.localhost` (loopback by definition, RFC 6761), or is an
 * address, or resolves to addresses, that are all loopback or private. A name is never trusted by
 * its suffix alone (`*.local`, `*.internal` must resolve to private addresses too); a name that does
 * not resolve, or resolves to any public address, is refused.
 */
export interface TrustPolicy {
  /** Decides for the host of an http(s) URL. */
  checkUrl(url: string): Promise<TrustDecision>;
  /** Decides for a host (`name`, `name:port`, an IPv4/IPv6 literal, `[v6]:port`). */
  checkHost(host: string): Promise<TrustDecision>;
  /** True when `host` (with or without its port) is in the declared list. */
  isDeclared(host: string): boolean;
}

export function createTrustPolicy(options: TrustPolicyOptions = {}): TrustPolicy {
  const declared = options.trustedEndpoints ?? [];
  const resolve = options.resolve ?? systemResolver;
  const isDeclared = (host: string) => {
    const name = hostnameOf(host);
    return declared.some((t) => t === host || hostnameOf(t) === name);
  };
  const checkHost = async (host: string): Promise<TrustDecision> => {
    if (isDeclared(host)) return { trusted: true, why: "declared" };
    const name = hostnameOf(host).toLowerCase();
    if (name === "localhost" || name.endsWith(".localhost")) return { trusted: true, why: "loopback-name" };
    let addresses: string[];
    if (isIP(name)) addresses = [name];
    else {
      try {
        addresses = await resolve(name);
      } catch (error) {
        return {
          trusted: false,
          why: "unresolvable",
          detail: `${name} does not resolve (${(error as Error).message})`,
        };
      }
    }
    if (addresses.length === 0)
      return { trusted: false, why: "unresolvable", detail: `${name} has no address` };
    const open = addresses.find((a) => !isPrivateAddress(a));
    if (open !== undefined) {
      const via = open === name ? "" : ` (resolves to ${open})`;
      return {
        trusted: false,
        why: "public-address",
        detail: `${name}${via} is not a loopback or private address`,
      };
    }
    return { trusted: true, why: "private-address", addresses };
  };
  return {
    isDeclared,
    checkHost,
    async checkUrl(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return { trusted: false, why: "invalid-url", detail: `"${url}" is not a valid URL` };
      }
      return checkHost(parsed.host);
    },
  };
}

/** `name:port` → name; `[::1]:80` → ::1; an IPv6 literal stays whole. */
function hostnameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  if (isIP(host) === 6) return host;
  return host.replace(/:\d+$/, "");
}
