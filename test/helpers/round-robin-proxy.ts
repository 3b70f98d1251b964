/**
 * A small round-robin HTTP balancer on 127.0.0.1 for multi-replica tests (issue 17): each request
 * goes to the next replica; a replica that refuses the connection (killed, restarting) is skipped,
 * as a balancer's health checks would; a replica that dies mid-request gives the client a 502 (or a
 * cut stream), never silence. Responses carry `x-replica: <index>`.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobinProxy {
  url: string;
  /** Requests each replica index answered (by status). */
  served: Map<number, number>;
  close(): Promise<void>;
}

/** `upstreams()` is read on every request: a restarted replica's new URL (or undefined while down). */
export async function startRoundRobinProxy(
  upstreams: () => Array<string | undefined>,
): Promise<RoundRobinProxy> {
  let next = 0;
  const served = new Map<number, number>();
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, tries: number): void => {
    const list = upstreams();
    let index = -1;
    for (let k = 0; k < list.length; k++) {
      const i = (next + k) % list.length;
      if (list[i]) {
        index = i;
        break;
      }
    }
    next = (index + 1) % Math.max(1, list.length);
    if (index < 0) {
      fail(res, 503, "no replica is up");
      return;
    }
    const target = new URL(req.url ?? "/", list[index]);
    const up = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host }, agent: false },
      (answer) => {
        served.set(index, (served.get(index) ?? 0) + 1);
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, "x-replica": String(index) });
        answer.pipe(res);
        answer.on("error", () => res.destroy());
        answer.on("aborted", () => res.destroy());
      },
    );
    up.on("error", (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return res.destroy();
      // Never reached the replica: safe to send elsewhere.
      if (error.code === "ECONNREFUSED" && tries < list.length) return forward(req, body, res, tries + 1);
      fail(res, 502, `replica ${index} failed: ${error.code ?? error.message}`);
    });
    up.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => forward(req, Buffer.concat(chunks), res, 1));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function fail(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message, type: "proxy_error", code: "bad_gateway" } }));
}
