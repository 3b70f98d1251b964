import { describe, expect, it } from "vitest";
import { libreChat, openWebUi, type Turn } from "../../test/helpers/chat-ui-requests.js";
import { classifyHousekeeping } from "./housekeeping.js";

const turns: Turn[] = [
  { role: "user", content: "Who is our best customer in Berlin?" },
  { role: "assistant", content: "Maria Keller (maria.keller@acme.de), invoices totalling 1,234.56 EUR." },
];
const kindOf = (body: unknown) => classifyHousekeeping(body)?.kind;

describe("classifyHousekeeping", () => {
  it("recognises Open WebUI's task requests, with the JSON key the UI parses", () => {
    expect(classifyHousekeeping(openWebUi.title(turns))).toMatchObject({
      kind: "title",
      reply: { as: "json", key: "title" },
    });
    expect(classifyHousekeeping(openWebUi.tags(turns))).toMatchObject({
      kind: "tags",
      reply: { as: "json", key: "tags" },
    });
    expect(classifyHousekeeping(openWebUi.followUps(turns))).toMatchObject({
      kind: "follow-ups",
      reply: { as: "json", key: "follow_ups" },
    });
    expect(classifyHousekeeping(openWebUi.queries(turns))).toMatchObject({
      kind: "search-queries",
      reply: { as: "json", key: "queries" },
    });
    expect(classifyHousekeeping(openWebUi.autocomplete(turns, "Show me the invoices of"))).toMatchObject({
      kind: "autocomplete",
      subject: "Show me the invoices of",
      reply: { as: "json", key: "text" },
    });
    expect(kindOf(openWebUi.emoji("Maria Keller paid, great!"))).toBe("emoji");
    // The conversation is what the task is about.
    expect(classifyHousekeeping(openWebUi.title(turns))!.subject).toContain("ASSISTANT: Maria Keller");
  });

  it("recognises LibreChat's title requests, in each title method", () => {
    const [u, a] = [turns[0]!.content, turns[1]!.content];
    expect(classifyHousekeeping(libreChat.titleCompletion(u, a))).toMatchObject({
      kind: "title",
      reply: { as: "text" },
    });
    expect(classifyHousekeeping(libreChat.titleStructured(u, a))).toMatchObject({
      kind: "title",
      reply: { as: "tool-call", name: "extract", properties: ["language", "title"] },
    });
    expect(classifyHousekeeping(libreChat.titleJsonSchema(u, a))).toMatchObject({
      kind: "title",
      reply: { as: "json-schema", properties: ["language", "title"] },
    });
    expect(classifyHousekeeping(libreChat.titleLegacy(u, a))).toMatchObject({
      kind: "title",
      reply: { as: "text" },
    });
    expect(classifyHousekeeping(libreChat.titleCompletion(u, a))!.subject).toContain("AI: Maria Keller");
  });

  it("recognises the pattern in other wording: an instruction about the conversation plus a transcript", () => {
    const generic = (content: string) => ({ messages: [{ role: "user", content }] });
    expect(
      kindOf(
        generic(`Summarize this conversation in one line.\n\nHuman: hi\nAssistant: ${turns[1]!.content}`),
      ),
    ).toBe("summary");
    expect(
      kindOf(
        generic(
          `Write a short title for the chat below.\nUser: ${turns[0]!.content}\nBot: ${turns[1]!.content}`,
        ),
      ),
    ).toBe("title");
    expect(
      kindOf({
        messages: [
          { role: "system", content: "Suggest three follow-up questions for this conversation." },
          { role: "user", content: [{ type: "text", text: `USER: hi\nASSISTANT: ${turns[1]!.content}` }] },
        ],
      }),
    ).toBe("follow-ups");
  });

  it("leaves real questions alone, even ones that mention titles or paste a conversation", () => {
    const ask = (content: string) => ({ messages: [{ role: "user", content }] });
    for (const q of [
      "What is the title of the album with the most tracks?",
      "Show the job titles of all employees in the conversation table",
      "Who is our best customer in Berlin?",
      `USER: who bought most?\nASSISTANT: Maria Keller.\nNow list her invoices from 2013.`,
      "Generate a report of the tags used in support tickets this month",
    ])
      expect(kindOf(ask(q)), q).toBeUndefined();
    expect(classifyHousekeeping({})).toBeUndefined();
    expect(classifyHousekeeping({ messages: "nope" })).toBeUndefined();
  });
});
