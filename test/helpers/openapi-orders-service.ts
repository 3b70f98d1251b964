/**
 * A small orders service on 127.0.0.1 with its OpenAPI 3.0 document at /openapi.json, for
 * OpenAPI source tests. Orders are filtered by the `X-User-Id` header; every route except the
 * document needs `Authorization: Bearer secret-token`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface OrdersService {
  baseUrl: string;
  /** Headers, method and URL of every request after the document, for assertions. */
  requests: { method: string; url: string; headers: IncomingHttpHeaders; body?: unknown }[];
  document: Record<string, unknown>;
  close(): Promise<void>;
}

const TOKEN = "secret-token";

export const ordersDocument = (serverUrl?: string): Record<string, unknown> => ({
  openapi: "3.0.3",
  info: { title: "Orders", version: "1.4.0" },
  ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
  paths: {
    "/orders": {
      get: {
        operationId: "listOrders",
        summary: "List the caller's orders",
        parameters: [
          { name: "status", in: "query", schema: { type: "string", enum: ["open", "shipped"] } },
          {
            name: "ownerId",
            in: "query",
            description: "Owner to list (defaults to the caller)",
            schema: { type: "string" },
          },
          { $ref: "#/components/parameters/Limit" },
          { name: "X-User-Id", in: "header", required: true, schema: { type: "string" } },
        ],
        responses: {
          "200": {
            description: "orders",
            content: {
              "application/json": {
                schema: { type: "array", items: { $ref: "#/components/schemas/Order" } },
              },
            },
          },
        },
      },
      post: {
        operationId: "createOrder",
        summary: "Create an order",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/NewOrder" } } },
        },
        responses: { "201": { description: "created" } },
      },
    },
    "/orders/{orderId}": {
      parameters: [{ name: "orderId", in: "path", required: true, schema: { type: "string" } }],
      get: {
        operationId: "getOrder",
        summary: "One order by id",
        responses: { "200": { description: "order" } },
      },
    },
    "/echo/{name}": {
      get: {
        summary: "Echo path, query and header parameters",
        parameters: [
          { name: "name", in: "path", required: true, schema: { type: "string" } },
          { name: "tags", in: "query", schema: { type: "array", items: { type: "string" } } },
          { name: "X-Trace", in: "header", schema: { type: "string" } },
        ],
        responses: { "200": { description: "echo" } },
      },
    },
    "/boom": {
      get: {
        operationId: "boom",
        summary: "Always fails with 500",
        responses: { "500": { description: "error" } },
      },
    },
    "/slow": {
      get: {
        operationId: "slow",
        summary: "Answers after two seconds",
        responses: { "200": { description: "ok" } },
      },
    },
    "/upload": {
      post: {
        operationId: "upload",
        summary: "Upload a file (multipart, not supported by the source)",
        requestBody: { required: true, content: { "multipart/form-data": { schema: { type: "object" } } } },
        responses: { "204": { description: "ok" } },
      },
    },
  },
  components: {
    parameters: {
      Limit: { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
    },
    schemas: {
      Order: {
        type: "object",
        properties: {
          id: { type: "string" },
          owner: { type: "string" },
          item: { type: "string" },
          status: { type: "string" },
          parent: { $ref: "#/components/schemas/Order" },
        },
      },
      NewOrder: {
        type: "object",
        required: ["item", "qty"],
        additionalProperties: false,
        properties: {
          item: { type: "string" },
          qty: { type: "integer", minimum: 1 },
          note: { type: "string", nullable: true },
        },
      },
    },
  },
});

export async function startOrdersService(): Promise<OrdersService> {
  const orders = [
    { id: "o1", owner: "alice", item: "tea", status: "open" },
    { id: "o2", owner: "alice", item: "mugs", status: "shipped" },
    { id: "o3", owner: "bob", item: "coffee", status: "open" },
  ];
  const requests: OrdersService["requests"] = [];
  let baseUrl = "";
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const send = (status: number, body?: unknown) => {
      if (body === undefined) return res.writeHead(status).end();
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (url.pathname === "/openapi.json") return send(200, ordersDocument(baseUrl));
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : undefined;
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return send(401, { error: "missing or wrong token" });
    const user = req.headers["x-user-id"] as string | undefined;
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (segments[0] === "orders" && segments.length === 1 && req.method === "GET") {
      const owner = url.searchParams.get("ownerId") ?? user;
      // The service only ever shows the requesting user's own orders.
      let list = orders.filter((o) => o.owner === user && o.owner === owner);
      const status = url.searchParams.get("status");
      if (status) list = list.filter((o) => o.status === status);
      const limit = Number(url.searchParams.get("limit") ?? 100);
      return send(200, list.slice(0, limit));
    }
    if (segments[0] === "orders" && segments.length === 1 && req.method === "POST") {
      const order = {
        id: `o${orders.length + 1}`,
        owner: user ?? "anonymous",
        item: body.item,
        status: "open",
        qty: body.qty,
      };
      orders.push(order);
      return send(201, order);
    }
    if (segments[0] === "orders" && segments.length === 2) {
      const order = orders.find((o) => o.id === segments[1] && o.owner === user);
      return order ? send(200, order) : send(404, { error: `order ${segments[1]} not found` });
    }
    if (segments[0] === "echo") {
      return send(200, {
        name: segments[1],
        tags: url.searchParams.getAll("tags"),
        trace: req.headers["x-trace"] ?? null,
      });
    }
    if (segments[0] === "boom") return send(500, { error: "database is on fire" });
    if (segments[0] === "slow") {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return send(200, { ok: true });
    }
    send(404, { error: "no such route" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    requests,
    document: ordersDocument(baseUrl),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
