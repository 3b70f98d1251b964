/**
 * `flm witness serve`: a small C2SP tlog-witness over HTTP.
 *   POST /add-checkpoint        the tlog-witness submission endpoint
 *   GET  /checkpoint?origin=…   the newest checkpoint co-signed for a log (for auditors)
 *   GET  /                      name, cosignature verifier key, witnessed logs (JSON)
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { NoteSigner } from "../signed-note.js";
import { Witness, type WitnessedLogConfig } from "./witness.js";
import { WitnessState } from "./witness-state.js";

export interface WitnessServerOptions {
  signer: NoteSigner;
  /** SQLite file holding what was co-signed. */
  dbPath: string;
  logs: WitnessedLogConfig[];
}

export interface RunningWitness {
  url: string;
  port: number;
  witness: Witness;
  state: WitnessState;
  close(): Promise<void>;
}

/** Requests are small: 63 proof lines and a checkpoint with a few signatures. */
const MAX_BODY = 64 * 1024;

export function createWitnessApp(witness: Witness): Hono {
  const app = new Hono();
  app.post(
    "/add-checkpoint",
    bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.text("Request body too large.\n", 413) }),
    async (c) => {
      const answer = witness.addCheckpoint(await c.req.text());
      return c.body(answer.body, answer.status as 200, { "content-type": answer.contentType });
    },
  );
  app.get("/checkpoint", (c) => {
    const origin = c.req.query("origin");
    if (!origin) return c.text("Pass ?origin=<log origin>.\n", 400);
    const answer = witness.latest(origin);
    return c.body(answer.body, answer.status as 200, { "content-type": answer.contentType });
  });
  app.get("/", (c) => c.json(witness.info()));
  return app;
}

export async function startWitnessServer(
  options: WitnessServerOptions & { port?: number; host?: string },
): Promise<RunningWitness> {
  const state = new WitnessState(options.dbPath);
  const witness = new Witness(options.signer, state, options.logs);
  const app = createWitnessApp(witness);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      { fetch: app.fetch, port: options.port ?? 7380, hostname: options.host ?? "127.0.0.1" },
      () => resolve(s as Server),
    ) as Server;
    s.once("error", reject);
  });
  // Slow or half-open clients are dropped instead of holding sockets forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    witness,
    state,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      state.close();
    },
  };
}
