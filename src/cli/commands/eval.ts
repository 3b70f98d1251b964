import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { redactSecrets } from "../../config/redact-secrets.js";
import { formatTable } from "../../eval/format-table.js";
import { loadSuite } from "../../eval/load-suite.js";
import { renderHtmlReport } from "../../eval/html-report.js";
import { type Combination, runEval } from "../../eval/run-eval.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../exit-codes.js";
import { type GlobalOptions, localCaller } from "../open-runtime.js";

export interface EvalCommandOptions {
  concurrency?: string;
  repeat?: string;
  seed?: string;
  db?: string;
  json?: boolean;
  report?: string;
}

/**
 * `flm eval <suite>`: runs the suite once per (planner, generator) combination and prints the
 * side-by-side table (or the JSON report); `--report` also writes the HTML report. Exit 1 when a
 * sensitive value or canary was found in what left for the cloud, or when every run failed.
 */
export async function evalCommand(
  spec: string,
  options: EvalCommandOptions,
  globals: GlobalOptions,
  io: CliIO,
): Promise<number> {
  const concurrency = positive(options.concurrency ?? "1", "--concurrency");
  const repeat = positive(options.repeat ?? "1", "--repeat");
  const seed = options.seed === undefined ? undefined : positive(options.seed, "--seed", 0);
  const planners = globals.planners ?? [];
  const generators = globals.generators ?? [];
  const loaded = await loadSuite(spec, {
    configPath: globals.config,
    database: options.db,
    models: { planner: planners[0], generator: generators[0] },
  });
  try {
    io.secrets.push(...loaded.config.secrets);
    const combinations: Combination[] = [];
    for (const planner of planners.length ? planners : [undefined])
      for (const generator of generators.length ? generators : [undefined])
        combinations.push({ planner, generator });
    const bar = countBar(io);
    const controller = new AbortController();
    const onSigint = () => controller.abort(new Error("interrupted"));
    process.once("SIGINT", onSigint);
    let report: Awaited<ReturnType<typeof runEval>>;
    try {
      report = await runEval({
        suite: loaded.suite,
        config: loaded.config,
        combinations,
        concurrency,
        repeat,
        seed,
        agent: globals.agent,
        user: localCaller(),
        signal: controller.signal,
        onProgress: (done, total, label) => bar.update(done, total, label),
      });
    } finally {
      process.off("SIGINT", onSigint);
      bar.done();
    }
    const safe = redactSecrets(report, io.secrets);
    // A report can be megabytes: wait until it is written (the CLI exits soon after a command returns).
    if (options.json)
      await new Promise<void>((done) => io.out.write(`${JSON.stringify(safe, null, 2)}\n`, () => done()));
    else io.print(formatTable(safe));
    if (options.report) {
      const file = resolve(options.report);
      writeFileSync(file, renderHtmlReport(safe));
      io.info(`report: ${file}`);
    }
    const leaks = report.combinations.reduce(
      (n, c) => n + c.summary.egress.sensitive + c.summary.egress.canaries,
      0,
    );
    if (leaks > 0)
      io.info(`PRIVACY: ${leaks} sensitive value(s) or canaries were found in what left for the cloud.`);
    const allFailed = report.combinations.every((c) => c.summary.errors === c.summary.runs);
    return leaks > 0 || allFailed ? 1 : 0;
  } finally {
    loaded.dispose();
  }
}

function positive(value: string, flag: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} must be an integer ≥ ${min}, got "${value}".`);
  return n;
}

/** `[#####-----] 12/34 planner → generator` on stderr, on a terminal only. */
function countBar(io: CliIO): { update(done: number, total: number, label: string): void; done(): void } {
  if (!io.interactive) return { update() {}, done() {} };
  let shown = false;
  return {
    update(done, total, label) {
      const width = 24;
      const filled = Math.round((done / Math.max(1, total)) * width);
      io.err.write(`\r[${"#".repeat(filled).padEnd(width, "-")}] ${done}/${total} ${label}\x1b[K`);
      shown = true;
    },
    done: () => {
      if (shown) io.err.write("\r\x1b[K");
    },
  };
}
