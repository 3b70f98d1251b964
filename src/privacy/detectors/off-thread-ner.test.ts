import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { longPrompt } from "../../../test/helpers/long-prompt.js";
import { sharedFile } from "../../../test/helpers/shared-dir.js";
import { PrivacyDetectionError } from "../privacy-errors.js";
import { createNerDetector } from "./ner.js";
import { createOffThreadNer } from "./off-thread-ner.js";

const presidio = sharedFile("data", "presidio-synth-v2.json");

/** A worker that runs `code` (CommonJS, with `parentPort` in scope) instead of the NER worker. */
const fakeWorker = (code: string) => async () =>
  new Worker(`const { parentPort } = require("node:worker_threads");\n${code}`, { eval: true });

const detector = createNerDetector();
const offThread = createOffThreadNer();
afterAll(() => offThread.close());

describe("createOffThreadNer", () => {
  it("finds exactly the spans the in-thread detector finds in a 20 KB prompt", async () => {
    const text = longPrompt();
    const spans = await offThread.detect(text);
    expect(spans.length).toBeGreaterThan(100);
    expect(spans).toEqual(detector.detect(text));
  }, 120_000);

  it.skipIf(!presidio)(
    "finds exactly the in-thread spans on every presidio-synth text",
    async () => {
      const texts = (JSON.parse(readFileSync(presidio!, "utf8")) as Array<{ full_text: string }>).map(
        (t) => t.full_text,
      );
      // Each text alone, and the whole corpus in prompts of up to 20 KB.
      const prompts: string[] = [];
      let prompt = "";
      for (const t of texts) {
        if (prompt.length + t.length > 20_000) {
          prompts.push(prompt);
          prompt = "";
        }
        prompt += `${t}\n\n`;
      }
      prompts.push(prompt);
      for (const text of [...texts.slice(0, 100), ...prompts]) {
        expect(await offThread.detect(text)).toEqual(detector.detect(text));
      }
    },
    240_000,
  );

  it("leaves the event loop free while a long prompt is parsed", async () => {
    await offThread.detect("Warm up with Maria Keller."); // the worker has loaded its word lists
    let ticks = 0;
    let done = false;
    const tick = () => {
      if (done) return;
      ticks++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const spans = await offThread.detect(longPrompt());
    done = true;
    expect(spans.length).toBeGreaterThan(0);
    // Parsed on this thread, not one setImmediate callback could have run before the result.
    expect(ticks).toBeGreaterThan(0);
  }, 120_000);

  it("answers texts queued together, each with its own spans", async () => {
    const texts = ["Ask Maria Keller in Lisbon.", "Jonas Brandt works at Acme Holdings.", longPrompt(5_000)];
    const results = await Promise.all(texts.map((t) => offThread.detect(t)));
    expect(results).toEqual(texts.map((t) => detector.detect(t)));
  }, 120_000);

  it("fails closed with PRIVACY_DETECTION_FAILED when the worker crashes, and recovers", async () => {
    let starts = 0;
    const ner = createOffThreadNer({
      startWorker: async () =>
        ++starts === 1
          ? fakeWorker("parentPort.on('message', () => process.exit(3));")()
          : fakeWorker("parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, spans: [] }));")(),
    });
    try {
      const error = await ner.detect("Maria Keller").catch((e: unknown) => e);
      expect(PrivacyDetectionError.isInstance(error)).toBe(true);
      expect((error as PrivacyDetectionError).code).toBe("PRIVACY_DETECTION_FAILED");
      expect((error as Error).message).toMatch(/exited \(code 3\)/);
      // The next text gets a fresh worker.
      await expect(ner.detect("Maria Keller")).resolves.toEqual([]);
      expect(starts).toBe(2);
    } finally {
      await ner.close();
    }
  });

  it("fails closed when the worker throws, hangs past its deadline, or cannot start", async () => {
    const throwing = createOffThreadNer({
      startWorker: fakeWorker("parentPort.on('message', () => { throw new Error('boom'); });"),
    });
    const hanging = createOffThreadNer({
      timeoutMs: 300,
      startWorker: fakeWorker("parentPort.on('message', () => { for (;;) {} });"),
    });
    const broken = createOffThreadNer({ startWorker: async () => Promise.reject(new Error("no threads")) });
    const erroring = createOffThreadNer({
      startWorker: fakeWorker(
        "parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, error: 'bad' }));",
      ),
    });
    try {
      for (const [ner, reason] of [
        [throwing, /failed: boom/],
        [hanging, /timed out after 300 ms/],
        [broken, /could not start/],
        [erroring, /failed: bad/],
      ] as const) {
        const error = await ner.detect("Maria Keller").catch((e: unknown) => e);
        expect(PrivacyDetectionError.isInstance(error)).toBe(true);
        expect((error as Error).message).toMatch(reason);
      }
    } finally {
      await Promise.all([throwing, hanging, broken, erroring].map((n) => n.close()));
    }
  });
});
