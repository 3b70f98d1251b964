/**
 * `flm eval` on the built-in clinic suite with three scripted local models (correct, sloppy,
 * hallucinating) behind fake OpenAI-compatible servers, and a scripted planner that plans every
 * question as expected: the table docs/guides/eval.md shows, reproducible without any model.
 *
 *   npm run bench:eval [-- --report eval-scripted.html]
 */
import { writeFileSync } from "node:fs";
import { formatTable } from "../src/eval/format-table.js";
import { renderHtmlReport } from "../src/eval/html-report.js";
import { loadSuite } from "../src/eval/load-suite.js";
import { runEval } from "../src/eval/run-eval.js";
import { reply, startFakeOpenAIServer } from "../test/helpers/fake-openai-server.js";
import { type GeneratorKind, scriptedGeneratorReply } from "../test/helpers/scripted-generators.js";
import { suitePlannerHandler } from "../test/helpers/scripted-planner.js";

const kinds: GeneratorKind[] = ["correct", "sloppy", "hallucinating"];
const cloud = await startFakeOpenAIServer();
const servers = await Promise.all(kinds.map(() => startFakeOpenAIServer()));
for (const [i, s] of servers.entries()) s.handle((req) => reply.text(scriptedGeneratorReply(kinds[i]!, req)));
const env = { ...process.env, OPENAI_API_KEY: "" };
const loaded = await loadSuite("clinic", {
  env,
  models: { planner: `${cloud.url}#scripted-planner`, generator: "x" },
});
cloud.handle(suitePlannerHandler(loaded.suite.questions));
try {
  const report = await runEval({
    suite: loaded.suite,
    config: loaded.config,
    env,
    repeat: 2,
    concurrency: 2,
    combinations: kinds.map((kind, i) => ({
      planner: `${cloud.url}#scripted-planner`,
      generator: `${servers[i]!.url}#scripted-${kind}`,
    })),
  });
  // Ports change every run: label by model name only.
  for (const c of report.combinations) c.label = c.label.replace(/http:\/\/127\.0\.0\.1:\d+\/v1#/g, "");
  console.log(formatTable(report));
  const out = process.argv.indexOf("--report");
  if (out > 0) writeFileSync(process.argv[out + 1]!, renderHtmlReport(report));
} finally {
  loaded.dispose();
  await Promise.all([cloud, ...servers].map((s) => s.close()));
}
