import { chmodSync, existsSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateAuditKey } from "../../privacy/audit/audit-key.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../exit-codes.js";
import {
  generatorChoices,
  type ModelChoice,
  plannerChoices,
  renderConfig,
  writeFileAtomic,
} from "../init/init-config.js";
import { introspectDatabase } from "../init/introspect-database.js";
import { proposeSensitive, type SensitiveProposal } from "../init/propose-sensitive.js";

export interface InitOptions {
  db?: string;
  planner?: string;
  generator?: string;
  /** Accept every proposal and the first choice of each model: no questions. */
  yes?: boolean;
  force?: boolean;
  out?: string;
}

/** The questions `flm init` asks (@inquirer/prompts by default; tests pass their own). */
export interface InitPrompts {
  input(q: { message: string; validate?: (v: string) => boolean | string }): Promise<string>;
  select(q: {
    message: string;
    choices: Array<{ name: string; value: string; description?: string }>;
  }): Promise<string>;
  checkbox(q: {
    message: string;
    choices: Array<{ name: string; value: string; checked?: boolean }>;
  }): Promise<string[]>;
  confirm(q: { message: string; default?: boolean }): Promise<boolean>;
}

async function inquirerPrompts(): Promise<InitPrompts> {
  const { input, select, checkbox, confirm } = await import("@inquirer/prompts");
  return { input, select, checkbox, confirm };
}

/** The JSON Schema of the config shipped with flm, as the config file should reference it. */
function schemaPathFor(configDir: string): string {
  const schema = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/reference/flm.schema.json");
  const rel = relative(configDir, schema);
  return rel.startsWith("..") ? schema : `./${rel}`;
}

const describeProposal = (p: SensitiveProposal) =>
  `${p.column}  ${p.type}  (${p.reason === "name" ? "from its name" : `${p.hits} of ${p.sampled} sampled values`})`;

/** A URL with a password goes into the environment, not the file. */
function databaseTarget(target: string, io: CliIO): { value: string; env?: string } {
  if (!/^postgres(ql)?:\/\//i.test(target)) return { value: target };
  const url = new URL(target);
  if (!url.password) return { value: target };
  io.info(
    "The URL holds a password: the config reads it from FLM_DATABASE_URL instead (export it before running flm).",
  );
  return { value: "${FLM_DATABASE_URL}", env: "FLM_DATABASE_URL" };
}

async function choose(
  prompts: InitPrompts | undefined,
  message: string,
  flag: string | undefined,
  choices: ModelChoice[],
): Promise<string> {
  if (flag) return flag;
  if (!prompts) return choices[0]!.spec;
  return prompts.select({
    message,
    choices: choices.map((c) => ({ name: c.spec, value: c.spec, description: c.why })),
  });
}

/**
 * `flm init`: reads a database's tables and columns, proposes sensitive columns (from their names
 * and from the detectors over a sample of values: counts shown, never values), picks a planner and
 * a generator, creates an audit key and writes `flm.config.yaml` with comments, atomically.
 */
export async function initCommand(options: InitOptions, io: CliIO, given?: InitPrompts): Promise<void> {
  const out = resolve(options.out ?? "flm.config.yaml");
  if (existsSync(out) && !options.force) {
    throw new UsageError(
      `${out} already exists.`,
      "Pass --force to replace it, or --out to write another file.",
    );
  }
  const interactive = !options.yes && (given !== undefined || Boolean(process.stdin.isTTY));
  const prompts = interactive ? (given ?? (await inquirerPrompts())) : undefined;
  const dbArg =
    options.db ??
    (prompts
      ? await prompts.input({
          message: "Database: a SQLite file or a postgres:// URL",
          validate: (v) => v.trim().length > 0 || "required",
        })
      : undefined);
  if (!dbArg)
    throw new UsageError(
      "No database given.",
      "Pass --db <sqlite-file|postgres://url> (or run flm init in a terminal).",
    );
  const dbTarget = dbArg.trim();

  const db = await introspectDatabase(
    isAbsolute(dbTarget) || /^postgres/i.test(dbTarget) ? dbTarget : resolve(dbTarget),
  );
  let proposals: SensitiveProposal[];
  try {
    const columns = db.tables.reduce((n, t) => n + t.columns.length, 0);
    io.info(
      `${db.driver}: ${db.tables.length} table(s), ${columns} column(s); sampling values for sensitive data…`,
    );
    proposals = await proposeSensitive(db);
  } finally {
    await db.close();
  }
  io.info(
    proposals.length
      ? `proposed sensitive columns:\n${proposals.map((p) => `  ${describeProposal(p)}`).join("\n")}`
      : "no sensitive column found by name or by value",
  );
  if (prompts && proposals.length) {
    const keep = new Set(
      await prompts.checkbox({
        message: "Mark these columns sensitive (values never leave; placeholders go instead)",
        choices: proposals.map((p) => ({ name: describeProposal(p), value: p.column, checked: true })),
      }),
    );
    proposals = proposals.filter((p) => keep.has(p.column));
  }

  const planner = await choose(
    prompts,
    "Planner (the cloud model that plans)",
    options.planner,
    plannerChoices(),
  );
  const generator = await choose(
    prompts,
    "Generator (the local model that answers)",
    options.generator,
    await generatorChoices(),
  );

  const dir = dirname(out);
  const keyFile = "flm-audit.key";
  const keyPath = join(dir, keyFile);
  const target = databaseTarget(db.driver === "sqlite" ? relativeOrAbsolute(dir, db.target) : db.target, io);
  const text = renderConfig({
    database: { driver: db.driver, target: target.value },
    sensitive: proposals,
    planner,
    generator,
    auditKey: keyFile,
    schemaPath: schemaPathFor(dir),
  });
  if (prompts && !(await prompts.confirm({ message: `Write ${out}?`, default: true }))) {
    io.info("nothing written");
    return;
  }
  if (!existsSync(keyPath)) {
    generateAuditKey(keyPath);
    io.info(`audit key: ${keyPath} (mode 600; ${keyPath}.pub verifies checkpoints)`);
  }
  chmodSync(keyPath, 0o600);
  writeFileAtomic(out, text, { force: options.force });
  io.info(`wrote ${out}${target.env ? ` (set ${target.env} before running flm)` : ""}; next: flm doctor`);
}

function relativeOrAbsolute(dir: string, path: string): string {
  const rel = relative(dir, path);
  return rel.startsWith("..") ? path : rel;
}
