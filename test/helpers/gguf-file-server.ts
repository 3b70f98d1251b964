/**
 * A real HTTP server on 127.0.0.1 serving one model file (e.g. a generated GGUF) the way a model
 * hub does: `HEAD`/`GET` with `Range` support at `/models/tiny.gguf…`, the same bytes dripped
 * slowly at `/slow/…` (for timeouts and progress), 404 elsewhere. Records every request it serves.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FileServer {
  origin: string;
  /** `METHOD URL RANGE` of every request, in order. */
  served: string[];
  close(): Promise<void>;
}

export async function startGgufFileServer(file: Buffer): Promise<FileServer> {
  const served: string[] = [];
  const server: Server = createServer((req, res) => {
    served.push(`${req.method} ${req.url} ${req.headers.range ?? ""}`);
    const slow = req.url?.startsWith("/slow/");
    if (!req.url?.startsWith("/models/tiny.gguf") && !slow) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Number(range[2]) : file.length - 1;
    const body = file.subarray(start, end + 1);
    const headers = {
      "content-type": "application/octet-stream",
      "accept-ranges": "bytes",
      "content-length": String(body.length),
    };
    if (range) res.writeHead(206, { ...headers, "content-range": `bytes ${start}-${end}/${file.length}` });
    else res.writeHead(200, headers);
    if (req.method === "HEAD") return res.end();
    // Several chunks so progress is observable.
    let offset = 0;
    const step = Math.ceil(body.length / (slow ? 20 : 4));
    const push = () => {
      if (offset >= body.length) return res.end();
      res.write(body.subarray(offset, offset + step));
      offset += step;
      setTimeout(push, slow ? 300 : 5);
    };
    push();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
