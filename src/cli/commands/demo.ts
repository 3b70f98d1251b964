import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RunResult } from "../../core/run-result.js";
import { buildRuntime } from "../../runtime/build-runtime.js";
import { loadConfig } from "../../config/load-config.js";
import { type CliIO, formatBytes, progressBar } from "../cli-io.js";
import { formatPlan } from "../format-trace.js";
import { localCaller, type GlobalOptions } from "../open-runtime.js";
import { chooseModels } from "../../demo/choose-models.js";
import { createClinicDatabase } from "../../demo/clinic-dataset.js";
import { demoConfig, demoQuestions } from "../../demo/demo-config.js";

/**
 * `flm demo`: writes a seeded clinic database and a ready config into --dir, then asks a few
 * questions end to end, showing for each what left the building and what stayed.
 * Exit 0 when at least one question was answered.
 */
export async function demoCommand(
  options: { dir: string; questions?: string },
  globals: GlobalOptions,
  io: CliIO,
): Promise<number> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const models = await chooseModels(globals, process.env, ({ label, bytes }) => {
    io.info(
      `Downloading the default local model ${label} (about ${formatBytes(bytes)}), once, into the cache…`,
    );
    const bar = progressBar(io, "model");
    return (done, total) => bar.update(done, total);
  });
  const data = createClinicDatabase(join(dir, "clinic.sqlite"));
  const configFile = join(dir, "flm.config.json");
  const generator = /\.gguf$/i.test(models.generator)
    ? { provider: "llama", modelPath: models.generator }
    : models.generator;
  writeFileSync(
    configFile,
    `${JSON.stringify(demoConfig({ database: "clinic.sqlite", planner: models.planner, generator, canary: data.canary }), null, 2)}\n`,
  );
  io.print(
    `Clinic database: ${data.path} (${data.patients} patients, ${data.appointments} appointments, ${data.invoices} invoices; synthetic)`,
  );
  io.print(`Config: ${configFile} (patients.name, ssn, email, phone, birth_date marked sensitive)`);
  for (const line of models.why) io.print(line);

  const config = await loadConfig(configFile);
  io.secrets.push(...config.secrets);
  const runtime = await buildRuntime(config);
  let answered = 0;
  const questions = demoQuestions(data.featuredPatient).slice(0, Math.max(1, Number(options.questions ?? 3)));
  try {
    io.print(`Indexed ${runtime.privacy?.values.size ?? 0} sensitive values locally for pseudonymization.`);
    for (const [i, question] of questions.entries()) {
      io.print(`\n━━ Question ${i + 1}: ${question}`);
      const session = runtime.agent.createSession();
      let result: RunResult;
      try {
        result = await runtime.agent.run(question, { user: localCaller(), session });
      } catch (error) {
        const e = error as { code?: string; message?: string };
        io.print(`✗ failed: ${e.code ?? "RUN_FAILED"}: ${e.message ?? String(error)}`);
        continue;
      }
      answered++;
      const sent = result.trace.egress;
      if (sent.length === 0) io.print("→ left the building: nothing (the planner ran locally)");
      else {
        const prompt = sentPrompt(sent[0]!.body);
        io.print(
          `→ left the building: ${sent.reduce((n, e) => n + e.bytes, 0)} bytes to ${sent[0]!.host}; the prompt as the cloud saw it:`,
        );
        io.print(`   ${prompt ?? "(not a chat body)"}`);
      }
      io.print(`plan (${result.trace.planner}):`);
      if (!result.trace.plan?.steps.length)
        io.print("   (no lookups: the planner answered that none was needed)");
      for (const line of result.trace.plan ? formatPlan(result.trace.plan) : []) io.print(line);
      io.print(`answer (local model): ${result.text.trim()}`);
      const rows = result.steps.reduce((n, s) => n + rowsOf(s.output), 0);
      const placeholders = runtime.placeholders(session);
      io.print(
        `stayed local: ${result.steps.length} tool call(s), ${rows} row(s) of results, the answer` +
          (placeholders.length
            ? `, and the real values behind ${placeholders.map((p) => p.placeholder).join(", ")}`
            : ""),
      );
    }
  } finally {
    await runtime.close();
  }
  io.print(
    `\n${answered}/${questions.length} question(s) answered. Try: cd ${options.dir} && flm ask "…"  (or flm plan / flm chat)`,
  );
  io.print(
    `Measure it: flm eval clinic --config ${join(options.dir, "flm.config.json")}  (accuracy, false facts, citations, tokens, latency and egress of these models on the clinic's questions; add --generator <spec> twice to compare two local models, --report eval.html for a report)`,
  );
  return answered > 0 ? 0 : 1;
}

/** The last user message of an OpenAI/Anthropic-style chat body. */
function sentPrompt(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as { messages?: { role: string; content: unknown }[] };
    const user = json.messages?.filter((m) => m.role === "user").at(-1);
    if (!user) return undefined;
    if (typeof user.content === "string") return user.content;
    if (Array.isArray(user.content)) return user.content.map((p: { text?: string }) => p.text ?? "").join("");
  } catch {}
  return undefined;
}

function rowsOf(output: unknown): number {
  const rows = (output as { rows?: unknown[] } | undefined)?.rows;
  return Array.isArray(rows) ? rows.length : output === undefined ? 0 : 1;
}
