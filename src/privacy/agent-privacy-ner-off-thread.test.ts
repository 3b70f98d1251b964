import { Worker } from "node:worker_threads";
import { APIError } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { longPrompt } from "../../test/helpers/long-prompt.js";
import {
  createCrm,
  crmSource,
  type PrivacyGateway,
  startPrivacyGateway,
} from "../../test/helpers/privacy-gateway.js";
import { createPrivacy, type PrivacyOptions } from "./agent-privacy.js";
import { startNerWorker } from "./detectors/off-thread-ner.js";

/** A 19 KB prompt (under the gateway's 20,000 characters): a declared customer, names NER must find. */
const PROMPT = `Which orders did Maria Keller place? ${longPrompt(19_000)}`;

async function pseudonymize(options: PrivacyOptions, text: string): Promise<string> {
  const privacy = createPrivacy({ ...options, sources: [crmSource(createCrm())] });
  await privacy.ready();
  const session = privacy.createSession();
  privacy.bind?.(session, []);
  const [out] = await privacy.pseudonymize([text], session);
  return out!;
}

/** The NER worker, with a hook told when a text is posted to it and when its spans come back. */
function watchedWorker(onPost: () => void, onReply: () => void) {
  return async (ner: Parameters<typeof startNerWorker>[0]) => {
    const worker = await startNerWorker(ner);
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message: unknown) => {
      onPost();
      post(message);
    };
    worker.prependListener("message", onReply);
    return worker;
  };
}

/** Resolves with the promise `get` returns once it exists. */
async function waitFor<T>(get: () => Promise<T> | undefined): Promise<T> {
  for (;;) {
    const p = get();
    if (p) return p;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A worker that exits as soon as it is given a text. */
const crashingWorker = async () =>
  new Worker("require('node:worker_threads').parentPort.on('message', () => process.exit(7));", {
    eval: true,
  });

describe("createPrivacy: NER of a long prompt on a worker thread", () => {
  it("sends exactly what in-thread detection sends", async () => {
    const inThread = await pseudonymize({ nerOffThread: false }, PROMPT);
    const offThread = await pseudonymize({}, PROMPT);
    expect(offThread).toBe(inThread);
    expect(offThread).not.toMatch(/Maria Keller|Jonas Brandt|Aiko Tanaka|Fatima Haddad/);
  }, 120_000);

  it("leaves the event loop free while the 19 KB prompt is parsed", async () => {
    let parsing = false;
    let ticksWhileParsing = 0;
    const tick = setInterval(() => {
      if (parsing) ticksWhileParsing++;
    }, 0);
    try {
      const out = await pseudonymize(
        {
          nerOffThread: {
            startWorker: watchedWorker(
              () => (parsing = true),
              () => (parsing = false),
            ),
          },
        },
        PROMPT,
      );
      expect(out).toContain("<PERSON_");
      // Parsed on the event loop, no timer callback could run between the post and the reply.
      expect(ticksWhileParsing).toBeGreaterThan(0);
    } finally {
      clearInterval(tick);
    }
  }, 120_000);

  it("keeps short prompts on the calling thread (no worker)", async () => {
    let started = 0;
    const out = await pseudonymize(
      {
        nerOffThread: {
          startWorker: async (ner) => {
            started++;
            return startNerWorker(ner);
          },
        },
      },
      "Ask Jonas Brandt about Maria Keller.",
    );
    expect(out).toBe("Ask <PERSON_1> about <PERSON_2>.");
    expect(started).toBe(0);
  });
});

describe("gateway: a long prompt", () => {
  let gw: PrivacyGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  it("answers /healthz while the prompt's NER runs, and the cloud gets it pseudonymized", async () => {
    let health: Promise<number> | undefined;
    gw = await startPrivacyGateway({
      privacy: {
        nerOffThread: {
          // The spans reach the run only once /healthz, asked when the worker took the prompt,
          // has answered: a loop blocked during NER would never answer it (the test times out).
          startWorker: async (ner) => {
            const worker = await startNerWorker(ner);
            const post = worker.postMessage.bind(worker);
            worker.postMessage = (message: unknown) => {
              health = fetch(`${gw!.client.baseURL.replace(/\/v1$/, "")}/healthz`).then((r) => r.status);
              post(message);
            };
            const on = worker.on.bind(worker);
            worker.on = (event: string, listener: (...args: any[]) => void) =>
              event === "message"
                ? on(event, (m: unknown) => void health!.then(() => listener(m)))
                : on(event, listener);
            return worker;
          },
        },
      },
    });
    const asked = gw.ask(PROMPT);
    await expect(waitFor(() => health)).resolves.toBe(200);
    await asked;
    const question = gw.models.cloud.allBodies();
    expect(question).toContain("<PERSON_");
    expect(question).not.toMatch(/Maria Keller|Jonas Brandt|Aiko Tanaka|Fatima Haddad/);
  }, 120_000);

  it("fails closed when the NER worker crashes: 503 PRIVACY_DETECTION_FAILED, nothing sent", async () => {
    gw = await startPrivacyGateway({ privacy: { nerOffThread: { startWorker: crashingWorker } } });
    const error = await gw.ask(PROMPT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(503);
    expect((error as APIError).code).toBe("PRIVACY_DETECTION_FAILED");
    expect(gw.models.cloud.requests).toHaveLength(0);
    // A short prompt does not need the worker and still goes through.
    await expect(gw.ask("Which orders did Maria Keller place?")).resolves.toContain("From the records");
  }, 120_000);
});
