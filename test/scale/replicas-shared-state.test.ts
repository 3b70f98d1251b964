/**
 * Issue 17 (shared state): two gateway replicas over one PostgreSQL state schema. A conversation's
 * turns served by different replicas keep their placeholders, and a value one replica gave the
 * user is tainted on the other: judged by what the fake cloud endpoints received. The same
 * scenario with per-process (in-memory) state shows what the shared state prevents.
 */
import { afterAll, describe, expect, it } from "vitest";
import { PG_URL, pgTestSchemas } from "../helpers/pg-test-schemas.js";
import {
  createCrm,
  type PrivacyGateway,
  questionOf,
  startPrivacyGateway,
} from "../helpers/privacy-gateway.js";
import { PostgresAnswerTaintStore } from "../../src/privacy/answer-taint/postgres-answer-taint-store.js";
import { PostgresConversationVaultStore } from "../../src/privacy/conversation/postgres-conversation-vault-store.js";

const schemas = pgTestSchemas("replicas");
afterAll(() => schemas.dropAll());

// ROW-MARKER-1 is ID-shaped: IDs are allowed so that the answer taint, not the ID detector (#15),
// is what keeps it out (or, without shared state, fails to).
const ALLOW_IDS = { ID: "allow" } as const;

async function replica(path: string, schema?: string): Promise<PrivacyGateway> {
  if (!schema) return startPrivacyGateway({ path, privacy: { policies: ALLOW_IDS } });
  const taint = await PostgresAnswerTaintStore.open({ url: PG_URL, schema, pruneIntervalMs: 0 });
  const conversations = await PostgresConversationVaultStore.open({
    url: PG_URL,
    schema,
    pruneIntervalMs: 0,
  });
  const gw = await startPrivacyGateway({
    path,
    privacy: { policies: ALLOW_IDS, answerTaint: { store: taint }, conversations: { store: conversations } },
  });
  return {
    ...gw,
    close: async () => {
      await gw.close();
      await Promise.all([taint.close(), conversations.close()]);
    },
  };
}

async function turn(gw: PrivacyGateway, conversation: string, content: string): Promise<string> {
  const before = gw.models.cloud.requests.length;
  await gw.client.chat.completions.create(
    { model: "flm-default", messages: [{ role: "user", content }] },
    { headers: { "x-flm-conversation-id": conversation } },
  );
  const sent = gw.models.cloud.requests.slice(before);
  expect(sent.length).toBeGreaterThan(0);
  return questionOf(sent[0]!);
}

/** Turn 1 on replica A, turn 2 on B (no history: the client names the conversation), turn 3 on A. */
async function scenario(schema: string | undefined) {
  const path = createCrm();
  const a = await replica(path, schema);
  const b = await replica(path, schema);
  try {
    const first = await turn(a, "conv-1", "Who is Maria Keller?");
    const second = await turn(b, "conv-1", "Compare Olivia Green with Maria Keller.");
    // ROW-MARKER-1 is a tool result replica A gave alice (not a declared sensitive value).
    const third = await turn(b, "conv-2", "What does ROW-MARKER-1 on that record mean?");
    return { first, second, third, cloud: a.models.cloud.allBodies() + b.models.cloud.allBodies() };
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

describe.skipIf(!PG_URL)("replicas sharing PostgreSQL state", () => {
  it("keep a conversation's placeholders and the user's answer taint across replicas", async () => {
    const { first, second, third, cloud } = await scenario(schemas.next());
    expect(first).toContain("<PERSON_1>");
    // Maria keeps <PERSON_1> on replica B; Olivia, new in this conversation, gets the next number.
    expect(second).toMatch(/<PERSON_2>.*<PERSON_1>/);
    expect(third).not.toContain("ROW-MARKER-1");
    expect(third).toMatch(/<RESULT_VALUE_\d+>/);
    for (const value of ["Maria Keller", "Olivia Green", "ROW-MARKER-1"]) expect(cloud).not.toContain(value);
  });

  it("without shared state the same scenario renumbers and lets the earlier result out (what the store prevents)", async () => {
    const { second, third } = await scenario(undefined);
    expect(second).toMatch(/<PERSON_1>.*<PERSON_2>/);
    expect(third).toContain("ROW-MARKER-1");
  });
});
