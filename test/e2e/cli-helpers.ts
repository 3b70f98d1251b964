import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import {
  type FakeOpenAIServer,
  type RecordedRequest,
  startFakeOpenAIServer,
} from "../../src/testing/fake-openai-server.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = import.meta.resolve("tsx");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The built binary (`dist/cli/main.js`, what `npm test` builds first) when it is newer than every
 * source file; otherwise the sources through tsx, so a stale build is never what gets tested.
 */
export const CLI_ENTRY: string[] = (() => {
  const built = join(ROOT, "dist/cli/main.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(ROOT, "src"))) return [built];
  return ["--import", TSX, join(ROOT, "src/cli/main.ts")];
})();

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `flm` CLI binary as a child process. Asynchronous on purpose: the scripted model servers live in this process.
 */
export function runCli(
  args: string[],
  options: { cwd: string; stdin?: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const { child, output } = spawnCli(args, options);
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 25_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, ...output });
    });
    child.stdin.end(options.stdin ?? "");
  });
}

/**
 * Spawns the binary with no cloud credentials and no default model in its environment (unless
 * `env` sets them), collecting its output as it arrives; `onStderr` runs after each stderr chunk.
 */
function spawnCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
  onStderr?: () => void,
): { child: ChildProcessWithoutNullStreams; output: { stdout: string; stderr: string } } {
  const env: Record<string, string | undefined> = {
    ...process.env,
    OPENAI_API_KEY: "",
    ANTHROPIC_API_KEY: "",
    GOOGLE_GENERATIVE_AI_API_KEY: "",
    FLM_MODEL: "",
    ...options.env,
  };
  const child = spawn(process.execPath, [...CLI_ENTRY, ...args], {
    cwd: options.cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (d: Buffer) => {
    output.stdout += d.toString("utf8");
  });
  child.stderr.on("data", (d: Buffer) => {
    output.stderr += d.toString("utf8");
    onStderr?.();
  });
  return { child, output };
}

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the first match of `pattern` on stderr; rejects if the process exits first or on timeout. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the `flm` binary and leaves it running (for `flm serve`). The caller must stop it. */
export function startCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): CliProcess {
  const waiters = new Set<() => void>();
  const { child, output } = spawnCli(args, options, () => {
    for (const w of waiters) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      resolve({ code, signal });
      for (const w of waiters) w();
    }),
  );
  return {
    child,
    get stdout() {
      return output.stdout;
    },
    get stderr() {
      return output.stderr;
    },
    exited,
    waitForStderr(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern} on stderr:\n${output.stderr}`));
        }, timeoutMs);
        const check = () => {
          const match = output.stderr.match(pattern);
          if (match) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(
              new Error(
                `flm exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${output.stderr}`,
              ),
            );
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** The scripted cloud planner and local generator a CLI test talks to, and its working directory. */
export interface CliFixture {
  cloud: FakeOpenAIServer;
  local: FakeOpenAIServer;
  dir: string;
  /** Stops both model servers and removes `dir`. */
  close(): Promise<void>;
}

/** Starts the two model servers and makes a fresh temporary directory named `flm-<name>-…`. */
export async function startCliFixture(name: string): Promise<CliFixture> {
  const [cloud, local] = await Promise.all([startFakeOpenAIServer(), startFakeOpenAIServer()]);
  const dir = mkdtempSync(join(tmpdir(), `flm-${name}-`));
  return {
    cloud,
    local,
    dir,
    close: async () => {
      await Promise.all([cloud.close(), local.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The text of the last user message in a request to a scripted model. */
export function lastUserText(req: RecordedRequest): string {
  return String(
    (req.json?.messages ?? []).filter((m: { role: string }) => m.role === "user").at(-1)?.content ?? "",
  );
}

/**
 * The plan a scripted cloud planner gives for a CRM question: `find_customer` on the placeholder
 * the (pseudonymized) prompt names, or on `fallback` when it names none.
 */
export function findCustomerPlan(req: RecordedRequest, fallback = "nobody") {
  const placeholder = lastUserText(req).match(/<PERSON_\d+>/)?.[0] ?? fallback;
  return { steps: [{ id: "s1", tool: "find_customer", args: { name: placeholder } }] };
}

/** A SQLite file holding each table's `rows`, created from its column definitions. */
export function writeSqliteDb(path: string, tables: Record<string, { columns: string; rows: unknown[][] }>) {
  const db = new Database(path);
  for (const [table, { columns, rows }] of Object.entries(tables)) {
    db.exec(`CREATE TABLE ${table} (${columns})`);
    for (const row of rows)
      db.prepare(`INSERT INTO ${table} VALUES (${row.map(() => "?").join(", ")})`).run(...row);
  }
  db.close();
}

/** The `crm` SQL tool over `crm.sqlite` (in the config's directory), with its column labels and queries. */
export function crmTool(
  queries: Record<string, unknown>[],
  sensitive: { column: string; type: string }[] = [{ column: "customers.name", type: "PERSON" }],
) {
  return { kind: "sql", name: "crm", driver: "sqlite", path: "crm.sqlite", sensitive, queries };
}

/** The `find_customer` query every CRM config has, selecting `columns`. */
export function findCustomerQuery(columns: string) {
  return {
    name: "find_customer",
    description: "Find a customer by full name.",
    sql: `SELECT ${columns} FROM customers WHERE name = :name`,
    params: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
  };
}

/**
 * Writes `flm.config.json` (or `file`) into the fixture's directory: the fixture's planner and
 * generator, then `config` (which may override them). Returns the file's path.
 */
export function writeFlmConfig(
  fixture: Pick<CliFixture, "cloud" | "local" | "dir">,
  config: Record<string, unknown>,
  file = "flm.config.json",
): string {
  const path = join(fixture.dir, file);
  writeFileSync(
    path,
    JSON.stringify({
      planner: `${fixture.cloud.url}#planner-model`,
      generator: `${fixture.local.url}#local-model`,
      ...config,
    }),
  );
  return path;
}
