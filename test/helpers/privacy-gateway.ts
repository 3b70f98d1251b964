/**
 * A CRM behind the real gateway, for privacy scenarios through the official `openai` client: a
 * SQLite customers table with declared sensitive columns, the privacy firewall on the cloud
 * planner's fetch, and a scripted planner that looks a customer up by the first placeholder it is
 * given (or plans nothing). Every byte the cloud endpoint received is recorded (`models.cloud`);
 * the local model echoes its context, so an answer shows what the tools returned.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOpenAI } from "@ai-sdk/openai";
import Database from "better-sqlite3";
import OpenAI from "openai";
import { createAgent } from "../../src/agent/create-agent.js";
import { createPrivacy, type Privacy, type PrivacyOptions } from "../../src/privacy/agent-privacy.js";
import { createGateway, type ListeningGateway } from "../../src/server/create-gateway.js";
import type { UserLimitStore, UserLimits } from "../../src/server/user-limits.js";
import { createSqlSource } from "../../src/sources/sql/sql-source.js";
import { type FakeModels, startFakeModels } from "./fake-models.js";
import { type RecordedRequest, reply } from "./fake-openai-server.js";

export interface Customer {
  name: string;
  lastName: string;
  email: string;
  phone: string;
  ssn: string;
  iban: string;
}

/** Distinct, realistic customers; each row's note holds a marker that proves a lookup found it. */
export const CUSTOMERS: Customer[] = [
  {
    name: "Maria Keller",
    lastName: "Keller",
    email: "Maria.Keller@acme-mail.de",
    phone: "(402) 555-0142",
    ssn: "999-12-3456",
    iban: "DE89 3704 0044 0532 0130 00",
  },
  {
    name: "Olivia Green",
    lastName: "Green",
    email: "olivia.green@example.org",
    phone: "+49 30 1234567",
    ssn: "123-45-6780",
    iban: "GB29 NWBK 6016 1331 9268 19",
  },
  {
    name: "Jonathan Whitfield",
    lastName: "Whitfield",
    email: "jwhitfield@example.net",
    phone: "415.555.0199",
    ssn: "078-12-3499",
    iban: "FR14 2004 1010 0505 0001 3M02 606",
  },
];
export const marker = (i: number) => `ROW-MARKER-${i + 1}`;

const LOOKUPS: Record<string, string> = {
  PERSON: "name",
  EMAIL: "email",
  PHONE: "phone",
  US_SSN: "ssn",
  IBAN: "iban",
};

export function createCrm(customers = CUSTOMERS): string {
  const path = join(mkdtempSync(join(tmpdir(), "flm-crm-")), "crm.sqlite");
  const db = new Database(path);
  db.exec(
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, last_name TEXT, email TEXT, phone TEXT, ssn TEXT, iban TEXT, note TEXT)",
  );
  const insert = db.prepare("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  customers.forEach((c, i) => {
    insert.run(i + 1, c.name, c.lastName, c.email, c.phone, c.ssn, c.iban, marker(i));
  });
  db.close();
  return path;
}

export function crmSource(path: string) {
  const query = (column: string) => ({
    name: `find_customer_by_${column}`,
    description: `The customer with this ${column}`,
    sql: `SELECT id, name, email, phone, note FROM customers WHERE ${column} = :${column}`,
    params: { type: "object", properties: { [column]: { type: "string" } }, required: [column] } as const,
  });
  return createSqlSource({
    name: "crm",
    driver: "sqlite",
    path,
    queries: Object.values(LOOKUPS).map(query),
    sensitive: [
      { column: "customers.name", type: "PERSON" },
      { column: "customers.last_name", type: "PERSON" },
      { column: "customers.email", type: "EMAIL" },
      { column: "customers.phone", type: "PHONE" },
      { column: "customers.ssn", type: "US_SSN" },
      { column: "customers.iban", type: "IBAN" },
    ],
  });
}

/** The user's own question in a planner request. */
export function questionOf(req: RecordedRequest): string {
  const users = (req.json?.messages ?? []).filter(
    (m: { role: string; content: unknown }) => m.role === "user" && typeof m.content === "string",
  ) as Array<{ content: string }>;
  return users.at(-1)?.content ?? "";
}

/** Plans a lookup by the first placeholder of a known type in the question, or nothing. */
export function lookupByPlaceholder(req: RecordedRequest) {
  const found = /<(PERSON|EMAIL|PHONE|US_SSN|IBAN)_\d+>/.exec(questionOf(req));
  if (!found) return reply.json({ steps: [] });
  const column = LOOKUPS[found[1]!]!;
  return reply.json({
    steps: [{ id: "s1", tool: `find_customer_by_${column}`, args: { [column]: found[0] } }],
  });
}

export interface PrivacyGateway {
  models: FakeModels;
  privacy: Privacy;
  client: OpenAI;
  /** The gateway's base URL (no /v1) and alice's token, for raw requests. */
  url: string;
  token: string;
  /** Sends one user message; resolves to the answer text or rejects with the API error. */
  ask(content: string): Promise<string>;
  close(): Promise<void>;
}

export async function startPrivacyGateway(
  options: {
    privacy?: Omit<PrivacyOptions, "sources">;
    path?: string;
    /** Per-user limits for alice and where they are counted. */
    gateway?: { userLimits?: UserLimitStore; limits?: UserLimits };
  } = {},
): Promise<PrivacyGateway> {
  const models = await startFakeModels();
  const source = crmSource(options.path ?? createCrm());
  const privacy = createPrivacy({ ...options.privacy, sources: [source] });
  const planner = createOpenAI({
    baseURL: models.cloud.url,
    apiKey: "k",
    fetch: privacy.cloudFetch(),
  }).chat("planner-model");
  models.cloud.handle(lookupByPlaceholder);
  models.local.handle((req) => {
    const last = String(req.json?.messages?.at(-1)?.content ?? "");
    return reply.text(`From the records: ${last.slice(0, 2000)}`);
  });
  const agent = createAgent({ planner, generator: models.generator, tools: [source], privacy });
  const token = "privacy-test-token-0123456789";
  const gateway: ListeningGateway = await createGateway({
    agents: { "flm-default": agent },
    users: [{ token, id: "alice", roles: [], limits: options.gateway?.limits }],
    userLimits: options.gateway?.userLimits,
    onError: () => {},
  }).listen({ port: 0 });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: token, maxRetries: 0 });
  return {
    models,
    privacy,
    client,
    url: gateway.url,
    token,
    ask: async (content) => {
      const res = await client.chat.completions.create({
        model: "flm-default",
        messages: [{ role: "user", content }],
      });
      return res.choices[0]?.message.content ?? "";
    },
    close: async () => {
      await gateway.close({ drainTimeoutMs: 50 });
      await models.close();
    },
  };
}
