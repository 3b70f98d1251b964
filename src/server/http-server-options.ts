import type { Server, ServerOptions } from "node:http";
import { GatewayConfigError } from "./gateway-errors.js";

/** How long the gateway waits for a client at the HTTP level (all in milliseconds). */
export interface HttpTimeouts {
  /** The request line and headers must arrive within this, else 408 and the connection is closed (slowloris). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this, else 408 and close (slow uploads). */
  receiveTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (keep it above a load balancer's idle timeout). */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  headersTimeoutMs: 10_000,
  receiveTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

/** TCP keep-alive probes on every connection: a peer that vanished without a FIN is noticed. */
const TCP_KEEPALIVE_DELAY_MS = 30_000;

/**
 * Node's HTTP server options for `timeouts`. Node enforces the header and receive deadlines itself
 * (answering 408 and closing), checking every connection at an interval: a quarter of the header
 * timeout, at most a second, so a half-sent request lives at most ~1.25× the timeout.
 */
export function httpServerOptions(timeouts: HttpTimeouts): ServerOptions {
  const { headersTimeoutMs, receiveTimeoutMs } = timeouts;
  // Only the timeouts: callers may pass a wider limits object (drainDelayMs may be 0).
  for (const key of ["headersTimeoutMs", "receiveTimeoutMs", "keepAliveTimeoutMs"] as const) {
    const value = timeouts[key];
    if (!Number.isInteger(value) || value < 1)
      throw new GatewayConfigError(`${key} must be a positive number of milliseconds (got ${value}).`);
  }
  if (headersTimeoutMs > receiveTimeoutMs) {
    throw new GatewayConfigError(
      `headersTimeoutMs (${headersTimeoutMs}) is longer than receiveTimeoutMs (${receiveTimeoutMs}).`,
      "The headers are part of the request: make receiveTimeoutMs at least headersTimeoutMs.",
    );
  }
  return {
    headersTimeout: headersTimeoutMs,
    requestTimeout: receiveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeoutMs / 4))),
    keepAlive: true,
    keepAliveInitialDelay: TCP_KEEPALIVE_DELAY_MS,
  };
}

/** What Node takes as properties rather than options. */
export function applyHttpTimeouts(server: Server, timeouts: HttpTimeouts): void {
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
}
