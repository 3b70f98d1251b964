/**
 * The built-in `chinook` suite: the comparison workload's questions and plans, with gold facts
 * computed by SQL from the user's Chinook file when the suite is built (see chinook-gold.ts), plus
 * questions about customers who do not exist, where "I don't know" is the right answer.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { SqliteConnection } from "../../sqlite/sqlite-connection.js";
import { EvalSuiteError } from "../eval-suite-error.js";
import type { EvalQuestion, EvalSuite, ExpectedCall } from "../eval-suite-schema.js";
import { CHINOOK_DEFAULTS } from "./chinook-config.js";
import { CHINOOK_GOLD } from "./chinook-gold.js";
import { WORKLOAD, type WorkloadStep } from "./chinook-workload.js";
import { factsOfRows } from "./gold-facts.js";

/** Where a Chinook SQLite file is looked for: --db, $FLM_CHINOOK_DB, the working directory, the shared folder. */
export function findChinook(
  explicit: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): string {
  const candidates = explicit
    ? [resolve(cwd, explicit)]
    : [
        env.FLM_CHINOOK_DB,
        join(cwd, "chinook.sqlite"),
        join(cwd, "Chinook_Sqlite.sqlite"),
        env.FLM_SHARED_DIR ? join(env.FLM_SHARED_DIR, "data", "chinook.sqlite") : undefined,
      ].flatMap((p) => (p ? [resolve(cwd, p)] : []));
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  throw new EvalSuiteError(
    "EVAL_DATA_NOT_FOUND",
    explicit
      ? `No Chinook database at ${candidates[0]}.`
      : "The chinook suite needs the Chinook SQLite database.",
    {
      hint: "Download Chinook_Sqlite.sqlite (github.com/lerocha/chinook-database) and pass --db <file>, set FLM_CHINOOK_DB, or put it in the working directory as chinook.sqlite.",
    },
  );
}

const NOBODY: EvalQuestion[] = [
  {
    id: "q35",
    question: "What did Zebulon Marchetti buy on his most recent invoice?",
    calls: latestPurchaseCalls({ name: "Zebulon Marchetti" }),
    idk: true,
    tags: ["idk"],
  },
  {
    id: "q36",
    question: "What phone number do we have on file for Quorra Vandersloot?",
    calls: [{ id: "s1", tool: "find_customer", args: { name: "Quorra Vandersloot" } }],
    idk: true,
    tags: ["idk"],
  },
];

export async function chinookSuite(database: string): Promise<EvalSuite> {
  const db = await SqliteConnection.open({ path: database, readonly: true, fileMustExist: true });
  try {
    const questions: EvalQuestion[] = [];
    for (const w of WORKLOAD) {
      const rows: Array<Record<string, unknown>> = [];
      for (const sql of CHINOOK_GOLD[w.id] ?? []) rows.push(...(await db.all(sql)));
      questions.push({
        id: w.id,
        question: w.question,
        calls: w.plan.map(expectedCall),
        facts: factsOfRows(rows),
        ...(w.pii ? { tags: ["pii"] } : {}),
      });
    }
    return {
      name: "chinook",
      description:
        "The comparison workload over the Chinook music store: revenue, tracks, customers, invoices and support reps; gold facts computed by SQL from the database.",
      questions: [...questions, ...NOBODY],
    };
  } finally {
    await db.close();
  }
}

/** A workload step as an expected call: arguments equal to the tool's defaults are not insisted on. */
function expectedCall(step: WorkloadStep): ExpectedCall {
  const defaults = CHINOOK_DEFAULTS[step.tool] ?? {};
  const args = Object.fromEntries(Object.entries(step.args).filter(([k, v]) => defaults[k] !== v));
  return { id: step.id, tool: step.tool, args };
}

function latestPurchaseCalls(find: Record<string, unknown>): ExpectedCall[] {
  return [
    { id: "s1", tool: "find_customer", args: find },
    { id: "s2", tool: "list_invoices", args: { customer_ids: [{ $ref: "s1", path: "rows[0].CustomerId" }] } },
    { id: "s3", tool: "invoice_lines", args: { invoice_ids: [{ $ref: "s2", path: "rows[0].InvoiceId" }] } },
  ];
}
