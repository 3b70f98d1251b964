import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../../sqlite/module-worker.js";
import { PrivacyDetectionError } from "../privacy-errors.js";
import type { Span } from "../span.js";
import type { NerDetectorOptions } from "./ner.js";

/** One text to run NER on, posted to the worker. */
export interface NerRequest {
  id: number;
  text: string;
}

export type NerResponse = { id: number; spans: Span[] } | { id: number; error: string };

export interface OffThreadNerOptions {
  /** The NER detector's options (the same as `createNerDetector`'s). */
  ner?: NerDetectorOptions;
  /**
   * Longest one text may take in the worker, from when the worker takes it up (the first text
   * also loads compromise and the word lists there). Default 30 s; past it the text fails closed.
   */
  timeoutMs?: number;
  /** Starts the worker thread; default the `ner-worker` module. Tests pass a failing one. */
  startWorker?: (ner: NerDetectorOptions) => Promise<Worker>;
}

/** NER on a worker thread: the event loop stays free while a long prompt is parsed. */
export interface OffThreadNer {
  /**
   * The spans `createNerDetector(ner).detect(text)` finds, computed on the worker thread. Rejects
   * with `PrivacyDetectionError` (`PRIVACY_DETECTION_FAILED`) when the worker fails, crashes or
   * times out: never an empty result, so nothing undetected is sent.
   */
  detect(text: string): Promise<Span[]>;
  /** Stops the worker; later calls start a new one. */
  close(): Promise<void>;
}

export const DEFAULT_NER_TIMEOUT_MS = 30_000;

interface Task {
  id: number;
  text: string;
  resolve(spans: Span[]): void;
  reject(error: unknown): void;
  timer?: NodeJS.Timeout;
}

/** Starts the NER worker thread (the default `startWorker`). */
export const startNerWorker = (ner: NerDetectorOptions): Promise<Worker> =>
  startModuleWorker(import.meta.url, "ner-worker", { bundle: true, name: "flm ner", workerData: { ner } });

/**
 * One worker thread, started on first use, takes texts one at a time (a queue on this side, so
 * each text's deadline counts from when the worker takes it). A worker that crashes, errors or
 * times out fails the text it holds with a typed error and is replaced for the next one. It is
 * pure JavaScript, so terminating it mid-text is safe. Idle, it does not keep the process alive.
 */
export function createOffThreadNer(options: OffThreadNerOptions = {}): OffThreadNer {
  const ner = options.ner ?? {};
  const timeoutMs = options.timeoutMs ?? DEFAULT_NER_TIMEOUT_MS;
  const start = options.startWorker ?? startNerWorker;
  const queue: Task[] = [];
  let current: Task | undefined;
  let worker: Promise<Worker> | undefined;
  let nextId = 1;

  const finish = (task: Task, outcome: { spans: Span[] } | { error: unknown }) => {
    clearTimeout(task.timer);
    if (current === task) current = undefined;
    if ("spans" in outcome) task.resolve(outcome.spans);
    else task.reject(outcome.error);
    void pump();
  };

  /** Forgets a worker (after a crash or a timeout) so the next text starts a fresh one. */
  const drop = (dead: Promise<Worker>, reason: string, cause?: unknown) => {
    if (worker !== dead) return;
    worker = undefined;
    if (current) finish(current, { error: new PrivacyDetectionError(reason, cause) });
  };

  const spawn = (): Promise<Worker> => {
    const started = start(ner).then((w) => {
      w.on("message", (response: NerResponse) => {
        const task = current;
        if (worker !== started || !task || response.id !== task.id) return;
        if ("error" in response)
          finish(task, { error: new PrivacyDetectionError(`failed: ${response.error}`) });
        else finish(task, { spans: response.spans });
      });
      w.on("error", (error) => drop(started, `failed: ${error.message}`, error));
      w.on("exit", (code) => drop(started, `exited (code ${code})`));
      return w;
    });
    started.catch(() => {});
    return started;
  };

  const pump = async () => {
    if (current || queue.length === 0) {
      if (!current) (await worker?.catch(() => undefined))?.unref();
      return;
    }
    const task = queue.shift()!;
    current = task;
    worker ??= spawn();
    const handle = worker;
    let w: Worker;
    try {
      w = await handle;
    } catch (error) {
      if (worker === handle) worker = undefined;
      finish(task, { error: new PrivacyDetectionError("could not start", error) });
      return;
    }
    if (current !== task) return;
    w.ref();
    task.timer = setTimeout(() => {
      drop(handle, `timed out after ${timeoutMs} ms`);
      void w.terminate();
    }, timeoutMs);
    w.postMessage({ id: task.id, text: task.text } satisfies NerRequest);
  };

  return {
    detect(text) {
      return new Promise<Span[]>((resolve, reject) => {
        queue.push({ id: nextId++, text, resolve, reject });
        void pump();
      });
    },
    async close() {
      const handle = worker;
      worker = undefined;
      if (current) finish(current, { error: new PrivacyDetectionError("was closed") });
      for (const task of queue.splice(0)) task.reject(new PrivacyDetectionError("was closed"));
      const w = await handle?.catch(() => undefined);
      await w?.terminate();
    },
  };
}
