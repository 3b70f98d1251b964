import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeOpenAIServer,
  reply,
  startFakeOpenAIServer,
} from "../../test/helpers/fake-openai-server.js";
import { type GeneratorKind, scriptedGeneratorReply } from "../../test/helpers/scripted-generators.js";
import { suitePlannerHandler } from "../../test/helpers/scripted-planner.js";
import { type LoadedSuite, loadSuite } from "./load-suite.js";
import { type EvalReport, runEval } from "./run-eval.js";

const KINDS: GeneratorKind[] = ["correct", "sloppy", "hallucinating"];
let cloud: FakeOpenAIServer;
const local: Record<string, FakeOpenAIServer> = {};
let loaded: LoadedSuite;
let report: EvalReport;

beforeAll(async () => {
  cloud = await startFakeOpenAIServer();
  for (const kind of KINDS) {
    local[kind] = await startFakeOpenAIServer();
    local[kind].handle((req) => reply.text(scriptedGeneratorReply(kind, req)));
  }
  const env = { ...process.env, OPENAI_API_KEY: "" };
  loaded = await loadSuite("clinic", {
    env,
    models: { planner: `${cloud.url}#planner`, generator: `${local.correct!.url}#g` },
  });
  cloud.handle(suitePlannerHandler(loaded.suite.questions));
  report = await runEval({
    suite: loaded.suite,
    config: loaded.config,
    env,
    concurrency: 2,
    combinations: KINDS.map((kind) => ({
      planner: `${cloud.url}#planner`,
      generator: `${local[kind]!.url}#${kind}`,
    })),
  });
}, 120_000);

afterAll(async () => {
  loaded?.dispose();
  await Promise.all([cloud, ...Object.values(local)].map((s) => s?.close()));
});

describe("flm eval on the clinic suite with scripted models", () => {
  it("scores the correct, sloppy and hallucinating generators in that order", () => {
    const [correct, sloppy, hallucinating] = report.combinations.map((c) => c.summary);
    expect(report.combinations.map((c) => c.generator)).toEqual(KINDS.map((k) => `${local[k]!.url}#${k}`));
    // correct: every fact, cited, declines when nothing came back.
    expect(correct).toMatchObject({
      runs: 5,
      errors: 0,
      accuracy: 1,
      answerScore: 1,
      factRecall: 1,
      falseFacts: 0,
    });
    expect(correct!.citationValidity).toBe(1);
    expect(correct!.refusals).toEqual({ expected: 1, correct: 1, unwarranted: 0 });
    // sloppy: the first row only, uncited; nothing false.
    expect(sloppy).toMatchObject({ accuracy: 0.4, falseFacts: 0 });
    expect(sloppy!.citationValidity).toBeUndefined();
    expect(sloppy!.answerScore).toBeGreaterThan(0.2);
    expect(sloppy!.answerScore).toBeLessThan(0.6);
    // hallucinating: invents values and citations, answers when it should decline.
    expect(hallucinating).toMatchObject({ accuracy: 0, answerScore: 0 });
    expect(hallucinating!.falseFacts).toBeGreaterThanOrEqual(10);
    expect(hallucinating!.citationValidity!).toBeLessThan(1);
    expect(hallucinating!.refusals.correct).toBe(0);
    expect(correct!.answerScore).toBeGreaterThan(sloppy!.answerScore);
    expect(sloppy!.answerScore).toBeGreaterThan(hallucinating!.answerScore);
  });

  it("scores the plans, counts tokens and latency, and finds nothing sensitive at egress", () => {
    for (const c of report.combinations) {
      expect(c.summary.planCorrect).toBe(1);
      expect(c.summary.tokens.cloudInput).toBeGreaterThan(0);
      expect(c.summary.tokens.localInput).toBeGreaterThan(0);
      expect(c.summary.latencyMs.p95).toBeGreaterThanOrEqual(c.summary.latencyMs.p50);
      expect(c.summary.ttftMs!.p50).toBeGreaterThan(0);
      expect(c.summary.egress).toMatchObject({ requests: 5, blocked: 0, sensitive: 0, canaries: 0 });
      expect(c.summary.egress.bytes).toBeGreaterThan(1000);
    }
    // The canary patient's question was planned with a placeholder: her name never left.
    const canary = report.combinations[0]!.runs.find((r) => r.question === "c4")!;
    expect(JSON.stringify(canary.plan)).toMatch(/<PERSON_\d+>/);
    expect(cloud.allBodies()).not.toContain("Quillfeather");
    expect(cloud.allBodies()).not.toContain("@example.org");
  });
});
