/** The request/response plumbing the fake model servers share. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** The whole request body as UTF-8 text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** `body` parsed as JSON, or undefined when it is empty or not JSON (the raw text is kept apart). */
export function parseJsonBody(body: string): any {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

/** Sends `value` as a JSON response, unless the client already went away. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

/** One request a scripted fake server received, exactly as it arrived. */
export interface RecordedHttpRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body exactly as received. */
  body: string;
  /** Parsed JSON body, when it was JSON. */
  json: any;
  receivedAt: number;
}

export interface ScriptedServer<R> {
  origin: string;
  requests: RecordedHttpRequest[];
  /** Replies served in order; when empty, the handler (if any) answers. */
  enqueue(...replies: R[]): void;
  handle(handler: (request: RecordedHttpRequest) => R | Promise<R>): void;
  /** Every request body concatenated, for leak searches. */
  allBodies(): string;
  /** Resolves once `count` requests in total have arrived (e.g. a call is in flight). */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers from a queue of
 * scripted replies (then a handler). `serve` speaks the wire protocol; `route` may answer a
 * request itself (e.g. a wrong path) before any reply is consumed.
 */
export async function startScriptedServer<R>(protocol: {
  serve: (res: ServerResponse, reply: R, request: RecordedHttpRequest) => Promise<void> | void;
  route?: (res: ServerResponse, request: RecordedHttpRequest) => boolean;
  noReply: (res: ServerResponse) => void;
}): Promise<ScriptedServer<R>> {
  const queue: R[] = [];
  const requests: RecordedHttpRequest[] = [];
  let handler: ((request: RecordedHttpRequest) => R | Promise<R>) | undefined;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const open = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    open.add(res);
    res.on("close", () => open.delete(res));
    const body = await readBody(req);
    const recorded: RecordedHttpRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body,
      json: parseJsonBody(body),
      receivedAt: Date.now(),
    };
    requests.push(recorded);
    for (const w of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    if (protocol.route?.(res, recorded)) return;
    const next = queue.shift() ?? (handler ? await handler(recorded) : undefined);
    if (next === undefined) return protocol.noReply(res);
    await protocol.serve(res, next, recorded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    handle: (h) => {
      handler = h;
    },
    allBodies: () => requests.map((r) => r.body).join("\n"),
    received: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: async () => {
      for (const res of open) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
