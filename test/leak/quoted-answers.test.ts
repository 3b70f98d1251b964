/**
 * Earlier answers quoted back in a later request (issue 11, item 1), through the gateway with the
 * official `openai` client, judged by what the fake cloud endpoint received. What flm gave a user
 * (tool results and answers) stays tainted for that user: pasted into a new question it is
 * pseudonymized; chat UIs' housekeeping requests (title, tags, follow-ups, autocomplete, search
 * queries), in the shapes Open WebUI and LibreChat send, are answered by the local model with no
 * cloud call at all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenize } from "../../src/privacy/normalize.js";
import type { AnswerTaintStore } from "../../src/privacy/answer-taint/answer-taint-store.js";
import { libreChat, openWebUi, type Turn } from "../helpers/chat-ui-requests.js";
import { marker, type PrivacyGateway, questionOf, startPrivacyGateway } from "../helpers/privacy-gateway.js";

let gw: PrivacyGateway;
let turns: Turn[];
// The row marker is an ID-shaped code: IDs are allowed here so that the answer taint, not the ID
// detector (#15), is what keeps it out of the cloud.
const ALLOW_IDS = { ID: "allow" } as const;

beforeAll(async () => {
  gw = await startPrivacyGateway({ privacy: { policies: ALLOW_IDS } });
  // A chat: the answer carries the row the lookup returned (the marker is no declared value).
  const question = "Who has phone (402) 555-0142?";
  const answer = await gw.ask(question);
  expect(answer).toContain(marker(0));
  turns = [
    { role: "user", content: question },
    { role: "assistant", content: answer },
  ];
}, 30_000);
afterAll(() => gw?.close());

/** Every form of the row's values a cloud request could carry. */
function expectNoRowValues(bodies: string[]) {
  const text = bodies.join("\n");
  const tokens = ` ${tokenize(text).tokens.join(" ")} `;
  expect(text).not.toContain("ROW-MARKER");
  expect(tokens).not.toContain(" row marker 1 ");
  expect(tokens).not.toContain(" maria keller ");
  expect(tokens).not.toContain(" 4025550142 ");
}

const cloudSince = (n: number) => gw.models.cloud.requests.slice(n);

describe("an earlier answer pasted into a new question", () => {
  it("is pseudonymized: placeholders reach the cloud, the answer's values do not", async () => {
    const before = gw.models.cloud.requests.length;
    await gw.ask(`Earlier you told me: "${turns[1]!.content}". Which invoices does she have?`);
    const sent = cloudSince(before);
    expect(sent).toHaveLength(1);
    expectNoRowValues(sent.map((r) => r.body));
    expect(questionOf(sent[0]!)).toMatch(/<(RESULT_VALUE|ANSWER_TEXT)_\d+>/);
  });

  it("also when only a value of the result is quoted, in another form", async () => {
    const before = gw.models.cloud.requests.length;
    await gw.ask("What else is known about row-marker-1?");
    expectNoRowValues(cloudSince(before).map((r) => r.body));
  });

  it("and when a housekeeping request is worded in a way no UI uses", async () => {
    const before = gw.models.cloud.requests.length;
    await gw.ask(`Give our chat a catchy name.\nUSER: ${turns[0]!.content}\nASSISTANT: ${turns[1]!.content}`);
    expectNoRowValues(cloudSince(before).map((r) => r.body));
  });
});

describe("chat UIs' housekeeping requests, in their own shapes, never reach the cloud", () => {
  const create = (body: Record<string, unknown>) => gw.client.chat.completions.create(body as never);
  const cases: Array<[string, () => Record<string, unknown>, (r: any) => void]> = [
    [
      "Open WebUI title",
      () => openWebUi.title(turns),
      (r) => expect(JSON.parse(r.choices[0].message.content)).toHaveProperty("title"),
    ],
    [
      "Open WebUI tags",
      () => openWebUi.tags(turns),
      (r) => expect(JSON.parse(r.choices[0].message.content).tags).toBeInstanceOf(Array),
    ],
    [
      "Open WebUI follow-ups",
      () => openWebUi.followUps(turns),
      (r) => expect(JSON.parse(r.choices[0].message.content).follow_ups).toBeInstanceOf(Array),
    ],
    [
      "Open WebUI search queries",
      () => openWebUi.queries(turns),
      (r) => expect(JSON.parse(r.choices[0].message.content)).toEqual({ queries: [] }),
    ],
    [
      "Open WebUI autocomplete",
      () => openWebUi.autocomplete(turns, "Show me the invoices of Maria"),
      (r) => expect(typeof JSON.parse(r.choices[0].message.content).text).toBe("string"),
    ],
    [
      "Open WebUI emoji",
      () => openWebUi.emoji(turns[1]!.content),
      (r) => expect(r.choices[0].message.content).toMatch(/\p{Extended_Pictographic}/u),
    ],
    [
      "LibreChat title (completion)",
      () => libreChat.titleCompletion(turns[0]!.content, turns[1]!.content),
      (r) => expect(r.choices[0].message.content.length).toBeGreaterThan(0),
    ],
    [
      "LibreChat title (structured, forced tool call)",
      () => libreChat.titleStructured(turns[0]!.content, turns[1]!.content),
      (r) => {
        expect(r.choices[0].finish_reason).toBe("tool_calls");
        const call = r.choices[0].message.tool_calls[0];
        expect(call.function.name).toBe("extract");
        expect(JSON.parse(call.function.arguments)).toMatchObject({
          language: "English",
          title: expect.any(String),
        });
      },
    ],
    [
      "LibreChat title (JSON schema)",
      () => libreChat.titleJsonSchema(turns[0]!.content, turns[1]!.content),
      (r) => expect(JSON.parse(r.choices[0].message.content)).toHaveProperty("title"),
    ],
    [
      "LibreChat title (legacy, system message only)",
      () => libreChat.titleLegacy(turns[0]!.content, turns[1]!.content),
      (r) => expect(r.choices[0].message.content.length).toBeGreaterThan(0),
    ],
  ];
  for (const [name, body, check] of cases)
    it(name, async () => {
      const before = gw.models.cloud.requests.length;
      const localBefore = gw.models.local.requests.length;
      const response = await create(body());
      check(response);
      expect(cloudSince(before)).toEqual([]);
      // Answered by the local model (search queries need none).
      if (!name.includes("search")) expect(gw.models.local.requests.length).toBeGreaterThan(localBefore);
    });

  it("streams the answer when the UI asks for a stream", async () => {
    const before = gw.models.cloud.requests.length;
    const stream = (await gw.client.chat.completions.create({
      ...openWebUi.title(turns),
      stream: true,
    } as never)) as unknown as AsyncIterable<{ choices: Array<{ delta: { content?: string | null } }> }>;
    let text = "";
    for await (const part of stream) text += part.choices[0]?.delta.content ?? "";
    expect(JSON.parse(text)).toHaveProperty("title");
    expect(cloudSince(before)).toEqual([]);
  });
});

describe("the taint window and the store", () => {
  it("a value stops being tainted after privacy.answerTaintTtl (the documented limit)", async () => {
    // A clock the test moves: how long the runs themselves take (a loaded machine) must not count.
    let clock = Date.now();
    const short = await startPrivacyGateway({
      privacy: { policies: ALLOW_IDS, answerTaint: { ttlMs: 300, now: () => clock } },
    });
    try {
      await short.ask("Who has phone (402) 555-0142?");
      let before = short.models.cloud.requests.length;
      await short.ask("Tell me more about ROW-MARKER-1");
      expect(
        short.models.cloud.requests
          .slice(before)
          .map((r) => r.body)
          .join(""),
      ).not.toContain("ROW-MARKER");
      clock += 400;
      before = short.models.cloud.requests.length;
      // A new conversation: within one, its placeholders (kept 24 h, #17) replace every later
      // mention of a value once replaced (#15), whatever the taint window.
      await short.ask("What else is on ROW-MARKER-1?");
      expect(
        short.models.cloud.requests
          .slice(before)
          .map((r) => r.body)
          .join(""),
      ).toContain("ROW-MARKER-1");
    } finally {
      await short.close();
    }
  });

  it("a store that fails refuses the request with ANSWER_TAINT_UNAVAILABLE (503), sending nothing", async () => {
    const broken: AnswerTaintStore = {
      add: async () => {
        throw new Error("state store down");
      },
      read: async () => {
        throw new Error("state store down");
      },
      prune: async () => 0,
      forget: async () => undefined,
      close: async () => undefined,
    };
    const failing = await startPrivacyGateway({ privacy: { answerTaint: { store: broken } } });
    try {
      const error = await failing.ask("Who has phone (402) 555-0142?").catch((e) => e);
      expect(error.status).toBe(503);
      expect(error.code ?? error.error?.code).toBe("ANSWER_TAINT_UNAVAILABLE");
      expect(failing.models.cloud.requests).toEqual([]);
    } finally {
      await failing.close();
    }
  });
});
