import type { RunResult } from "../../core/run-result.js";
import { redactSecrets } from "../../config/redact-secrets.js";
import { type CliIO, spinner } from "../cli-io.js";
import { cliTelemetry } from "../configured-telemetry.js";
import { errorJson } from "../error-json.js";
import { formatTrace } from "../format-trace.js";
import { UsageError } from "../exit-codes.js";
import { type GlobalOptions, localCaller, openRuntime } from "../open-runtime.js";

export interface AskOptions {
  json?: boolean;
  trace?: boolean;
}

/** `flm ask`: streams the answer to stdout, then the short trace to stderr. */
export async function askCommand(
  prompt: string,
  options: AskOptions,
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  if (!prompt?.trim()) throw new UsageError("The prompt is empty.", 'Usage: flm ask "your question"');
  if (!options.json) return askText(prompt, options, globals, io);
  // --json: a result, or an error object, on stdout (the error line and exit code as always).
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", onSigint);
  try {
    const { config, runtime } = await openRuntime(globals, io);
    const telemetry = await cliTelemetry(config, globals.agent);
    try {
      const result = await runtime.agent.run(prompt, { user: localCaller(), signal: controller.signal });
      telemetry.record(result.trace);
      io.out.write(`${JSON.stringify(redactSecrets(result, io.secrets), null, 2)}\n`);
    } finally {
      process.off("SIGINT", onSigint);
      await runtime.close();
      await telemetry.shutdown();
    }
  } catch (error) {
    io.out.write(`${JSON.stringify(errorJson(error, io.secrets), null, 2)}\n`);
    throw error;
  }
}

async function askText(
  prompt: string,
  options: AskOptions,
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const { config, runtime } = await openRuntime(globals, io);
  const telemetry = await cliTelemetry(config, globals.agent);
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", onSigint);
  try {
    const spin = spinner(io, "planning…");
    let result: RunResult | undefined;
    let streaming = false;
    for await (const event of runtime.agent.stream(prompt, {
      user: localCaller(),
      signal: controller.signal,
    })) {
      if (event.type === "plan") spin.update(`running ${event.plan.steps.length} tool call(s)…`);
      else if (event.type === "warning") io.info(`warning: ${event.message}`);
      else if (event.type === "context") spin.update("answering…");
      else if (event.type === "text-delta") {
        if (!streaming) spin.stop();
        streaming = true;
        io.out.write(event.text);
      } else if (event.type === "done") result = event.result;
    }
    spin.stop();
    io.out.write("\n");
    if (result) telemetry.record(result.trace);
    if (result && options.trace !== false) io.info(formatTrace(result.trace));
  } finally {
    process.off("SIGINT", onSigint);
    await runtime.close();
    await telemetry.shutdown();
  }
}
