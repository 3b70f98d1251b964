/**
 * The eval pipeline with the real in-process llama.cpp runtime on a tiny model (the shared random
 * one, or the generated one): everything runs, and the scores are near zero, which is the honest
 * result for a model that cannot write English.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "../../test/helpers/fake-openai-server.js";
import { testModelPath } from "../../test/helpers/gguf-writer.js";
import { suitePlannerHandler } from "../../test/helpers/scripted-planner.js";
import { type LoadedSuite, loadSuite } from "./load-suite.js";
import { type EvalReport, runEval } from "./run-eval.js";

let cloud: FakeOpenAIServer;
let loaded: LoadedSuite;
let report: EvalReport;
const model = testModelPath();

beforeAll(async () => {
  cloud = await startFakeOpenAIServer();
  const env = { ...process.env, OPENAI_API_KEY: "" };
  const planner = `${cloud.url}#planner`;
  loaded = await loadSuite("clinic", { env, models: { planner, generator: model } });
  cloud.handle(suitePlannerHandler(loaded.suite.questions));
  report = await runEval({
    suite: loaded.suite,
    config: loaded.config,
    env,
    combinations: [{ planner, generator: model }],
  });
}, 240_000);

afterAll(async () => {
  loaded?.dispose();
  await cloud?.close();
});

describe("flm eval with the in-process tiny model", () => {
  it("runs every question through llama.cpp and scores it near zero", () => {
    const [combo] = report.combinations;
    const s = combo!.summary;
    expect(combo!.generator).toBe(model);
    expect(s.runs).toBe(5);
    expect(s.errors).toBe(0);
    expect(s.tokens.localInput).toBeGreaterThan(0);
    expect(s.tokens.localOutput).toBeGreaterThan(0);
    expect(s.planCorrect).toBe(1); // the scripted planner plans; the tiny model only answers
    expect(s.accuracy).toBeLessThanOrEqual(0.2);
    expect(s.answerScore).toBeLessThanOrEqual(0.3);
    expect(s.egress.sensitive + s.egress.canaries).toBe(0);
    for (const run of combo!.runs) expect(run.answer.length, run.question).toBeGreaterThan(0);
  });
});
