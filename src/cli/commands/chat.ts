import { createInterface } from "node:readline";
import type { ChatTurn } from "../../core/chat-turn.js";
import type { RunResult } from "../../core/run-result.js";
import type { CliIO } from "../cli-io.js";
import { CHAT_HELP, parseChatLine } from "../chat-commands.js";
import { formatTrace } from "../format-trace.js";
import { cliTelemetry } from "../configured-telemetry.js";
import { type GlobalOptions, localCaller, openRuntime } from "../open-runtime.js";

/**
 * `flm chat`: a multi-turn REPL. History (answers included) stays in this process; only the
 * pseudonymized user turns go to the planner, and one privacy session keeps placeholders stable.
 */
export async function chatCommand(
  options: { trace?: boolean },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const { config, runtime } = await openRuntime(globals, io);
  const telemetry = await cliTelemetry(config, globals.agent);
  const session = runtime.agent.createSession();
  const history: ChatTurn[] = [];
  const tty = Boolean(process.stdin.isTTY);
  const rl = createInterface({
    input: process.stdin,
    output: tty ? process.stdout : undefined,
    terminal: tty,
  });
  if (tty) io.info("flm chat — type your question; /help for commands, /exit to leave.");
  try {
    const ask = () => tty && rl.setPrompt("> ");
    ask();
    if (tty) rl.prompt();
    let last: RunResult | undefined;
    for await (const line of rl) {
      const parsed = parseChatLine(line);
      if (parsed.kind === "exit") break;
      if (parsed.kind !== "prompt") {
        // Commands stay here: nothing of them reaches a model.
        if (parsed.kind === "help") io.info(CHAT_HELP);
        else if (parsed.kind === "trace")
          io.info(last ? formatTrace(last.trace) : "No answer yet: /trace shows the last answer's trace.");
        else if (parsed.kind === "unknown")
          io.info(
            `Unknown command ${parsed.command} (not sent to any model). Type /help for the commands; start with // to ask something beginning with a slash.`,
          );
        if (tty) rl.prompt();
        continue;
      }
      const prompt = parsed.text;
      let result: RunResult | undefined;
      try {
        for await (const event of runtime.agent.stream(prompt, { user: localCaller(), history, session })) {
          if (event.type === "text-delta") io.out.write(event.text);
          else if (event.type === "warning") io.info(`warning: ${event.message}`);
          else if (event.type === "done") result = event.result;
        }
        io.out.write("\n");
      } catch (error) {
        // One failed turn does not end the conversation.
        const e = error as { code?: string; message?: string };
        io.info(`error ${e.code ?? "RUN_FAILED"}: ${e.message ?? String(error)}`);
      }
      if (result) {
        telemetry.record(result.trace);
        last = result;
        history.push({ role: "user", content: prompt }, { role: "assistant", content: result.text });
        if (options.trace) io.info(formatTrace(result.trace));
        else {
          const sent = result.trace.egress.reduce((n, e) => n + e.bytes, 0);
          io.info(`(${result.trace.steps.length} tool call(s), ${sent} bytes to the cloud)`);
        }
      }
      if (tty) rl.prompt();
    }
  } finally {
    rl.close();
    await runtime.close();
    await telemetry.shutdown();
  }
}
