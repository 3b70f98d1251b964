/**
 * The worker thread behind `OffThreadNer`: runs the NER detector (compromise and the word lists)
 * on whole texts, one at a time, and sends the spans back. The main thread does everything else
 * (other detectors, overlaps, policies, the vault), so results are those of the in-thread detector.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createNerDetector, type NerDetectorOptions } from "./ner.js";
import type { NerRequest, NerResponse } from "./off-thread-ner.js";

const port = parentPort;
if (!port) throw new Error("ner-worker runs as a worker thread");
const detector = createNerDetector((workerData as { ner?: NerDetectorOptions } | undefined)?.ner ?? {});

port.on("message", (request: NerRequest) => {
  let response: NerResponse;
  try {
    response = { id: request.id, spans: detector.detect(request.text) };
  } catch (error) {
    response = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(response);
});
