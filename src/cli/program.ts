import { Command, CommanderError, Option } from "commander";
import type { CliIO } from "./cli-io.js";
import { UsageError } from "./exit-codes.js";
import type { GlobalOptions } from "./open-runtime.js";
import { readPrompt } from "./read-prompt.js";

const EXIT_HELP = `
Exit codes: 0 ok, 1 runtime failure, 2 usage error, 3 configuration error.
Config: flm.config.{json,yaml,yml,ts,mjs,js} in the working directory, or --config <file>.`;

/** Builds the `flm` command tree. Actions set `exitCode` (0 by default). */
export function createProgram(io: CliIO, state: { exitCode: number }): Command {
  const program = new Command("flm")
    .description("Federated Language Models: a cloud model plans, tools run locally, a local model answers.")
    .version("0.1.0")
    .addOption(new Option("-c, --config <file>", "configuration file"))
    .addOption(
      new Option(
        "--planner <spec>",
        'override the planner: "local", openai:gpt-4o, http://host:port/v1#model (flm eval: repeat to compare)',
      ).argParser(collect),
    )
    .addOption(
      new Option(
        "--generator <spec>",
        "override the generator: a .gguf path, ollama:qwen2.5:3b, http://host:port/v1#model (flm eval: repeat to compare)",
      ).argParser(collect),
    )
    .addOption(
      new Option(
        "-a, --agent <name>",
        "which agent of the config ask/plan/chat/tools use (default: the top-level one)",
      ),
    )
    .addOption(
      new Option(
        "--privacy <mode>",
        "privacy mode for this run: standard, or strict (allow-list: only common words, tool words and quantities go out)",
      ).choices(["standard", "strict"]),
    )
    .option("--debug", "print stack traces on errors")
    .addHelpText("after", EXIT_HELP)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) });

  const g = (cmd: Command) => globalOptions(cmd.optsWithGlobals(), cmd.name() === "eval");
  // Commands load on use: `flm --help` and `flm tools` should not pay for PDF parsing or llama.cpp.
  const ask = () => import("./commands/ask.js");
  const chat = () => import("./commands/chat.js");
  const planCmd = () => import("./commands/plan.js");
  const toolsCmd = () => import("./commands/tools.js");
  const serve = () => import("./commands/serve.js");
  const doctor = () => import("./commands/doctor.js");
  const init = () => import("./commands/init.js");
  const auditCmd = () => import("./commands/audit.js");
  const witnessCmd = () => import("./commands/witness.js");
  const pull = () => import("./commands/pull.js");
  const docsCmd = () => import("./commands/docs.js");
  const demo = () => import("./commands/demo.js");
  const indexCmd = () => import("./commands/index-refresh.js");
  const evalCmd = () => import("./commands/eval.js");

  program
    .command("ask")
    .description("answer one question: streams the answer, then a short trace on stderr")
    .argument("[prompt]", 'the question; "-" or none reads it from stdin (echo q | flm ask)')
    .option("--json", "print the whole run result (answer, steps, trace) as JSON")
    .option("--no-trace", "do not print the trace")
    .action(async (prompt: string | undefined, opts, cmd: Command) =>
      (await ask()).askCommand(await readPrompt(prompt, "ask"), opts, g(cmd), io),
    );

  program
    .command("chat")
    .description("multi-turn conversation (reads stdin; history stays local, placeholders stay stable)")
    .option("--trace", "print the full trace after each answer")
    .action(async (opts, cmd: Command) => (await chat()).chatCommand(opts, g(cmd), io));

  program
    .command("plan")
    .description("dry run: show the exact bytes that would go to the cloud and the plan; runs no tool")
    .argument("[prompt]", 'the question; "-" or none reads it from stdin')
    .option("--json", "print as JSON")
    .action(async (prompt: string | undefined, opts, cmd: Command) =>
      (await planCmd()).planCommand(await readPrompt(prompt, "plan"), opts, g(cmd), io),
    );

  const tools = program
    .command("tools")
    .description("list the configured tools as compact signatures (full input schemas with --json)")
    .option("--json", "print every tool with its full input schema as JSON")
    .action(async (opts, cmd: Command) => (await toolsCmd()).toolsCommand(opts, g(cmd), io));
  tools
    .command("check")
    .description("connect to every tool source and report what works (exit 1 if any fails)")
    .action(async (_opts, cmd: Command) => {
      state.exitCode = await (await toolsCmd()).toolsCheckCommand(g(cmd), io);
    });

  program
    .command("init")
    .description(
      "write flm.config.yaml: reads your database's tables, proposes sensitive columns (counts, never values), picks the models, creates an audit key",
    )
    .option("--db <file|url>", "the database: a SQLite file or a postgres:// URL")
    .option("--planner <spec>", "the planner (default: a cloud model whose API key is set, else local)")
    .option("--generator <spec>", "the local model (default: one Ollama serves, else the in-process model)")
    .option("-y, --yes", "no questions: accept every proposal and the first choice of each model")
    .option("--force", "replace an existing config file")
    .option("-o, --out <file>", "where to write (default flm.config.yaml)")
    .action(async (opts) => (await init()).initCommand(opts, io));

  program
    .command("doctor")
    .description(
      "check the config, the audit key's permissions, that each source opens, each model answers (and how fast), and that the cloud is reached only through the egress guard; prints fixes (exit 1 on a problem)",
    )
    .option("--json", "print the checks as JSON")
    .option("--no-cloud", "do not call the cloud planner (no tokens spent; the guard is not exercised)")
    .action(async (opts, cmd: Command) => {
      state.exitCode = await (await doctor()).doctorCommand(opts, g(cmd), io);
    });

  program
    .command("serve")
    .description("start the OpenAI-compatible gateway")
    .option("-p, --port <port>", "port (default: server.port or 8787)")
    .option("--host <host>", "interface (default: server.host or 127.0.0.1)")
    .addOption(
      new Option(
        "--log-format <format>",
        "request log lines: json, or pretty for a terminal (default: pretty on a TTY, else json)",
      ).choices(["json", "pretty"]),
    )
    .addOption(
      new Option("--log-level <level>", "request log level (info logs every request)")
        .choices(["debug", "info", "warn", "error", "silent"])
        .default("info"),
    )
    .action(async (opts, cmd: Command) => (await serve()).serveCommand(opts, g(cmd), io));

  program
    .command("index")
    .description("the index of sensitive values a running gateway matches prompts against")
    .command("refresh")
    .description("make the running gateway pick up new rows in the sensitive columns now")
    .option("--url <url>", "the gateway (default: http://server.host:server.port from the config)")
    .option("--token <token>", "an admin user's token (default: FLM_ADMIN_TOKEN, or the config's admin user)")
    .option("--full", "rebuild from scratch (also drops values deleted from the data)")
    .option("--json", "print the report as JSON")
    .action(async (opts, cmd: Command) => (await indexCmd()).indexRefreshCommand(opts, g(cmd), io));

  const audit = program.command("audit").description("inspect the tamper-evident audit log of cloud egress");
  audit
    .command("verify")
    .description(
      "verify every record, the hash chain, the signed checkpoints and what witnesses co-signed (exit 1 if anything is wrong, or the log is absent or empty)",
    )
    .option(
      "--key <file|vkey>",
      "the log's public key (PEM file) or verifier key; default: the configured audit.keyPath",
    )
    .option(
      "--witness <url|vkey>",
      "hold the log against a witness: its URL (optionally url#vkey to pin its key), or its verifier key to check the cosignatures stored in the log (repeatable)",
      (v: string, all: string[] = []) => [...all, v],
    )
    .option("--no-configured-witnesses", "ignore audit.witnesses from the configuration")
    .option("--allow-empty", "an absent or empty log is not a failure")
    .option("--json", "print the report as JSON")
    .action(async (opts, cmd: Command) => {
      state.exitCode = await (await auditCmd()).auditVerifyCommand(opts, g(cmd), io);
    });
  audit
    .command("show")
    .description("print the newest audit records (hashes and decisions, never values)")
    .option("-n, --limit <n>", "how many records", "50")
    .option("--json", "print as JSON")
    .action(async (opts, cmd: Command) => (await auditCmd()).auditShowCommand(opts, g(cmd), io));
  audit
    .command("keygen")
    .description(
      "create the Ed25519 checkpoint key (default: audit.keyPath) and print the log's verifier key",
    )
    .argument("[path]", "where to write the private key (the public key goes to <path>.pub)")
    .option("--origin <origin>", "the log's identity in its checkpoints (default: derived from the key)")
    .option("--force", "overwrite an existing key")
    .action(async (path: string | undefined, opts, cmd: Command) =>
      (await auditCmd()).auditKeygenCommand(path, opts, g(cmd), io),
    );
  audit
    .command("vkey")
    .description("print the log's verifier key (for flm witness serve --log and auditors' --key)")
    .action(async (_opts, cmd: Command) => (await auditCmd()).auditVkeyCommand(g(cmd), io));
  audit
    .command("checkpoint")
    .description(
      "sign a checkpoint of the log now and wait for the configured witnesses (exit 1 if one failed)",
    )
    .action(async (_opts, cmd: Command) => {
      state.exitCode = await (await auditCmd()).auditCheckpointCommand(g(cmd), io);
    });

  const witness = program
    .command("witness")
    .description("run a transparency-log witness for audit logs (C2SP tlog-witness)");
  witness
    .command("serve")
    .description("co-sign checkpoints of the given logs after checking they only ever grow (until SIGTERM)")
    .option("--key <file>", "the witness's signer key (flm witness keygen)")
    .option("--db <file>", "SQLite file where the witness keeps what it co-signed")
    .option(
      "--log <vkey>",
      "a log's verifier key, or origin=vkey (repeatable)",
      (v: string, all: string[] = []) => [...all, v],
    )
    .option("-p, --port <port>", "port (default 7380)")
    .option("--host <host>", "interface (default 127.0.0.1)")
    .action(async (opts) => (await witnessCmd()).witnessServeCommand(opts, io));
  witness
    .command("keygen")
    .description("create the witness's own key and print its verifier key")
    .option("--name <name>", "the witness name, e.g. witness.example.com/w1")
    .option("--key <file>", "where to write the key (and <file>.pub)")
    .option("--force", "overwrite an existing key")
    .action(async (opts) => (await witnessCmd()).witnessKeygenCommand(opts, io));

  program
    .command("pull")
    .description("download a GGUF model into the cache (progress bar on a terminal)")
    .argument("<model-uri>", "hf:owner/repo/file.gguf or an https URL")
    .action(async (uri: string) => (await pull()).pullCommand(uri, io));

  const docs = program.command("docs").description("local document retrieval");
  docs
    .command("ingest")
    .description(
      "index a folder of documents (Markdown, text, HTML, PDF); exit 1 if any file failed (the others are still indexed)",
    )
    .argument("<folder>")
    .option(
      "--index <file|url>",
      "index file or postgres:// URL (default: the first documents source in the config)",
    )
    .action(async (folder: string, opts, cmd: Command) => {
      state.exitCode = await (await docsCmd()).docsIngestCommand(folder, opts, g(cmd), io);
    });
  docs
    .command("search")
    .description("search the document index")
    .argument("<query>")
    .option(
      "--index <file|url>",
      "index file or postgres:// URL (default: the first documents source in the config)",
    )
    .option("-n, --limit <n>", "passages", "5")
    .action(async (query: string, opts, cmd: Command) =>
      (await docsCmd()).docsSearchCommand(query, opts, g(cmd), io),
    );

  program
    .command("demo")
    .description("create a synthetic clinic database and config, then run federated questions end to end")
    .option("--dir <folder>", "where to write the database and config", "flm-demo")
    .option("--questions <n>", "how many of the demo questions to run", "3")
    .action(async (opts, cmd: Command) => {
      state.exitCode = await (await demo()).demoCommand(opts, g(cmd), io);
    });

  program
    .command("eval")
    .description(
      "score models on a suite of questions: plan, answer facts, citations, refusals, tokens, latency, egress",
    )
    .argument("<suite>", "a *.eval.yaml file, or a built-in suite: chinook, clinic")
    .option("--concurrency <n>", "questions at once per model combination", "1")
    .option("--repeat <n>", "runs per question", "1")
    .option("--seed <n>", "shuffle the order questions run in (reproducibly)")
    .option("--db <file>", "the database of a built-in suite (chinook: the Chinook SQLite file)")
    .option("--json", "print the whole report as JSON on stdout")
    .option("--report <file>", "also write a self-contained HTML report")
    .action(async (suite: string, opts, cmd: Command) => {
      state.exitCode = await (await evalCmd()).evalCommand(suite, opts, g(cmd), io);
    });

  for (const cmd of allCommands(program)) {
    cmd
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) });
    if (cmd !== program) cmd.addHelpText("after", EXIT_HELP);
  }
  return program;
}

/** `--planner`/`--generator` collect every value; only `flm eval` takes more than one. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function globalOptions(raw: Record<string, unknown>, many: boolean): GlobalOptions {
  const planners = (raw.planner as string[] | undefined) ?? [];
  const generators = (raw.generator as string[] | undefined) ?? [];
  for (const [flag, values] of [
    ["--planner", planners],
    ["--generator", generators],
  ] as const)
    if (values.length > 1 && !many)
      throw new UsageError(
        `${flag} was given ${values.length} times.`,
        "Give it once; to compare several models side by side use flm eval <suite> with it repeated.",
      );
  return {
    ...raw,
    planner: planners.at(-1),
    generator: generators.at(-1),
    planners,
    generators,
  } as GlobalOptions;
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

export { CommanderError };
