/**
 * Shared wiring for the leak suite: the clinic dataset as a real SQLite source, local tools that
 * fail, hang or record destructive calls, and the search that looks for any sensitive value in
 * the bytes the cloud endpoint received.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { z } from "zod";
import { createAgent } from "../../src/agent/create-agent.js";
import type { Planner } from "../../src/plan/planner.js";
import { createPrivacy } from "../../src/privacy/agent-privacy.js";
import { tokenize } from "../../src/privacy/normalize.js";
import { createSqlSource } from "../../src/sources/sql/sql-source.js";
import { defineTool } from "../../src/tools/define-tool.js";
import type { FakeModels } from "../helpers/fake-models.js";
import type { RecordedRequest } from "../../src/testing/fake-openai-server.js";
import type { LeakDataset } from "../helpers/leak-dataset.js";

const byId = {
  type: "object",
  properties: { patient_id: { type: "integer" } },
  required: ["patient_id"],
} as const;
const PATIENT = "SELECT id, name, email, phone, ssn, address, birth_date, diagnosis, notes FROM patients";

export function clinicSource(data: LeakDataset) {
  const one = (name: string, column: string, description: string) => ({
    name,
    description,
    sql: `${PATIENT} WHERE ${column} = :${column}`,
    params: { type: "object", properties: { [column]: { type: "string" } }, required: [column] } as const,
  });
  return createSqlSource({
    name: "clinic",
    driver: "sqlite",
    path: data.path,
    queries: [
      one(
        "find_patient_by_name",
        "name",
        "The patient with this full name: contact details, diagnosis, notes",
      ),
      one("find_patient_by_email", "email", "The patient with this email"),
      one("find_patient_by_ssn", "ssn", "The patient with this social security number"),
      one("find_patient_by_phone", "phone", "The patient with this phone number"),
      {
        name: "visits_of_patient",
        description: "Visits of a patient id: date and summary",
        sql: "SELECT id, visited_on, summary FROM visits WHERE patient_id = :patient_id ORDER BY visited_on",
        params: byId,
      },
      {
        name: "patients_with_diagnosis",
        description: "Patients whose diagnosis contains a word",
        sql: `${PATIENT} WHERE diagnosis LIKE '%' || :term || '%' LIMIT 5`,
        params: { type: "object", properties: { term: { type: "string" } }, required: ["term"] },
      },
    ],
    tables: ["visits"],
    sensitive: [
      { column: "patients.name", type: "PERSON" },
      { column: "patients.email", type: "EMAIL" },
      { column: "patients.phone", type: "PHONE" },
      { column: "patients.ssn", type: "US_SSN" },
      { column: "patients.address", type: "STREET_ADDRESS" },
      { column: "patients.birth_date", type: "DATE_OF_BIRTH" },
      { column: "patients.notes", type: "NOTES" },
    ],
  });
}

/** Local tools around the database: one that fails (with data in its error), one that hangs, one destructive. */
export function localTools(data: LeakDataset) {
  const deleteCalls: unknown[] = [];
  const labResults = defineTool({
    name: "lab_results",
    description: "Latest lab results of a patient id",
    input: z.object({ patient_id: z.number().int() }),
    run: async ({ patient_id }) => {
      const p = data.patients[patient_id - 1];
      // The error carries data on purpose: it must stay local like any result.
      throw new Error(`lab system rejected ${p?.name} (${p?.canary})`);
    },
  });
  const imaging = defineTool({
    name: "imaging_reports",
    description: "Imaging reports of a patient id",
    input: z.object({ patient_id: z.number().int() }),
    timeoutMs: 40,
    run: ({ patient_id }, { signal }) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => resolve({ patient_id, report: "never in time" }), 5_000);
        signal?.addEventListener("abort", () => {
          clearTimeout(t);
          reject(signal.reason);
        });
      }),
  });
  const deleteAll = defineTool({
    name: "delete_all",
    description: "Deletes every patient record. Only for administrators.",
    input: z.object({ confirm: z.boolean().optional() }),
    run: async (input) => {
      deleteCalls.push(input);
      return { deleted: true };
    },
  });
  return { tools: [labResults, imaging, deleteAll], deleteCalls };
}

export function buildAgent(
  data: LeakDataset,
  models: FakeModels,
  options: {
    mode?: "json" | "tool-calls";
    planner?: (cloud: ReturnType<ReturnType<typeof createOpenAI>["chat"]>) => Planner;
  } = {},
) {
  const source = clinicSource(data);
  const local = localTools(data);
  const privacy = createPrivacy({ sources: [source], canaries: data.canaries });
  const cloud = createOpenAI({ baseURL: models.cloud.url, apiKey: "k", fetch: privacy.cloudFetch() }).chat(
    "planner",
  );
  const agent = createAgent({
    planner: options.planner ? options.planner(cloud) : cloud,
    plannerMode: options.mode,
    generator: models.generator,
    tools: [source, ...local.tools],
    privacy,
    limits: { maxRepairs: 2 },
  });
  return { agent, privacy, source, cloud, deleteCalls: local.deleteCalls };
}

/** The user's question in a planner request (not the history note nor a repair message). */
export function promptOf(req: RecordedRequest): string {
  const users = (req.json?.messages ?? []).filter(
    (m: { role: string; content: unknown }) => m.role === "user" && typeof m.content === "string",
  ) as Array<{ content: string }>;
  const own = users.filter(
    (m) => !m.content.startsWith("Earlier questions") && !m.content.startsWith("That plan was rejected"),
  );
  return own.at(-1)?.content ?? "";
}

/** The first placeholder of a type in a text (the request body when it may be in the history). */
export function placeholder(text: string, type: string): string {
  const found = new RegExp(`<${type}_\\d+>`).exec(text)?.[0];
  if (!found) throw new Error(`no <${type}_n> in: ${text.slice(0, 300)}`);
  return found;
}

const asciiEscaped = (s: string) =>
  s.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** Every string the bodies carry, once decoded from JSON (escapes resolved), plus the raw bytes. */
export function searchableForms(bodies: string[]): { raw: string; decoded: string; tokens: string } {
  const decoded: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") decoded.push(v);
    else if (typeof v === "number") decoded.push(String(v));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        decoded.push(k);
        visit(x);
      }
  };
  for (const b of bodies) {
    try {
      visit(JSON.parse(b));
    } catch {
      decoded.push(b);
    }
  }
  const raw = bodies.join("\n").toLowerCase();
  const text = decoded.join("\n");
  return { raw, decoded: text.toLowerCase(), tokens: ` ${tokenize(`${text}\n${raw}`).tokens.join(" ")} ` };
}

/** How a value could appear in the bodies: verbatim, lower case, JSON-escaped, \u-escaped, as tokens. */
export function findValue(forms: ReturnType<typeof searchableForms>, value: string): string | undefined {
  const v = value.toLowerCase();
  const json = JSON.stringify(value).slice(1, -1).toLowerCase();
  if (forms.raw.includes(v) || forms.decoded.includes(v)) return "verbatim";
  if (forms.raw.includes(json)) return "json-escaped";
  if (forms.raw.includes(asciiEscaped(json)) || forms.raw.includes(asciiEscaped(json).replace(/\\/g, "\\\\")))
    return "unicode-escaped";
  const tokens = tokenize(value).tokens.join(" ");
  if (tokens && forms.tokens.includes(` ${tokens} `)) return "normalized tokens";
  return undefined;
}

export { asciiEscaped };
