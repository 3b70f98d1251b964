#!/usr/bin/env node
import { redactSecrets } from "../config/redact-secrets.js";
import { FlmError } from "../errors/flm-error.js";
import { createIO } from "./cli-io.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { CommanderError, createProgram } from "./program.js";

/** Runs the CLI; resolves to the exit code. Errors print `error CODE: message` (stack with --debug). */
export async function main(argv: string[]): Promise<number> {
  const io = createIO();
  const state = { exitCode: EXIT.ok as number };
  const program = createProgram(io, state);
  const debug = argv.includes("--debug");
  // Provider warnings (e.g. an unsupported option) are noise for CLI users; --debug shows them.
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = debug;
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv);
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      )
        return EXIT.ok;
      return EXIT.usage; // commander already printed what was wrong
    }
    const code = FlmError.isInstance(error) ? error.code : "RUN_FAILED";
    const message = error instanceof Error ? error.message : String(error);
    io.err.write(`error ${code}: ${redactSecrets(message, io.secrets)}\n`);
    const issues = (error as { issues?: { path: string; message: string }[] }).issues;
    if (issues && issues.length > 1) for (const i of issues) io.err.write(`  ${i.path}: ${i.message}\n`);
    if (debug && error instanceof Error && error.stack)
      io.err.write(`${redactSecrets(error.stack, io.secrets)}\n`);
    return exitCodeFor(error);
  }
}

/** Node's codes for a write to a pipe whose reader went away (`flm tools | head`). */
const CLOSED_PIPE = new Set(["EPIPE", "ERR_STREAM_DESTROYED"]);

/**
 * `flm tools | head`: the reader went away. Stop quietly (no EPIPE stack) with the exit code so
 * far; any other stream error is reported once, as a line.
 */

function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (CLOSED_PIPE.has(error.code ?? "")) process.exit(process.exitCode ?? 0);
    try {
      process.stderr.write(`error RUN_FAILED: cannot write output: ${error.message}\n`);
    } catch {}
    process.exit(1);
  });
}
exitQuietlyOnClosedPipe(process.stdout);
exitQuietlyOnClosedPipe(process.stderr);

const code = await main(process.argv);
// Let stdout drain before exiting; open handles (pools, children) were closed by the commands.
process.exitCode = code;
setTimeout(() => process.exit(code), 50).unref();
