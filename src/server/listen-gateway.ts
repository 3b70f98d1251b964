import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { applyHttpTimeouts, type HttpTimeouts, httpServerOptions } from "./http-server-options.js";

export interface ListeningGateway {
  url: string;
  port: number;
  /** Stops accepting, lets running requests finish until the drain deadline, aborts the rest, closes the agents. */
  close(options?: { drainTimeoutMs?: number }): Promise<void>;
}

/**
 * Serves the app on a port (0: any free one) and returns how to reach and stop it. `shutdown` runs
 * once however often close() is called: drain the runs, close the server and the agents. The HTTP
 * timeouts (headers, whole request, keep-alive) are set on the server here.
 */
export async function listenGateway(
  fetch: (request: Request) => Response | Promise<Response>,
  { port = 8080, host = "127.0.0.1" }: { port?: number; host?: string } = {},
  limits: HttpTimeouts & { drainTimeoutMs: number },
  shutdown: (server: Server, drainTimeoutMs: number) => Promise<void>,
): Promise<ListeningGateway> {
  const server = await new Promise<Server>((resolve, reject) => {
    const serverOptions = httpServerOptions(limits);
    const s = serve({ fetch, port, hostname: host, serverOptions }, () => resolve(s as Server)) as Server;
    s.once("error", reject);
    applyHttpTimeouts(s, limits);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: (o = {}) => {
      closing ??= shutdown(server, o.drainTimeoutMs ?? limits.drainTimeoutMs);
      return closing;
    },
  };
}
