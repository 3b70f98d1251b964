import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAIServer, type RecordedRequest, reply } from "../../src/testing/fake-openai-server.js";
import { sharedFile } from "../helpers/shared-dir.js";
import { type CliFixture, lastUserText, runCli, startCliFixture } from "./cli-helpers.js";

let fixture: CliFixture;
let cloud: FakeOpenAIServer;
let local: FakeOpenAIServer;
let dir: string;

/** A scripted cloud planner that plans each demo question the way a good model would. */
function plan(req: RecordedRequest) {
  const user = lastUserText(req);
  if (/diagnosis/.test(user))
    return reply.json({ steps: [{ id: "s1", tool: "diagnosis_counts", args: {} }] });
  const person = user.match(/<PERSON_\d+>/)?.[0];
  if (person) {
    return reply.json({
      steps: [
        { id: "s1", tool: "find_patient", args: { name: person } },
        { id: "s2", tool: "patient_appointments", args: { patient_id: { $ref: "s1", path: "rows[0].id" } } },
      ],
    });
  }
  return reply.json({ steps: [{ id: "s1", tool: "top_unpaid_balances", args: { limit: 5 } }] });
}

beforeAll(async () => {
  fixture = await startCliFixture("demo");
  ({ cloud, local, dir } = fixture);
  cloud.handle(plan);
  local.handle((req) =>
    reply.text(`Answer from the local model (${String(req.body.length)} bytes of context) [s1].`),
  );
});

afterAll(() => fixture?.close());

describe("flm demo", { timeout: 180_000 }, () => {
  it("creates the clinic, writes a config, and answers federated questions without leaking", async () => {
    const demoDir = join(dir, "scripted");
    const r = await runCli(
      [
        "demo",
        "--dir",
        demoDir,
        "--planner",
        `${cloud.url}#cloud-planner`,
        "--generator",
        `${local.url}#local-model`,
      ],
      { cwd: dir },
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("3/3 question(s) answered");
    expect(r.stdout).toContain(`Measure it: flm eval clinic --config ${join(demoDir, "flm.config.json")}`);
    expect(r.stdout).toMatch(/Clinic database: .*120 patients/);
    expect(r.stdout).toContain("→ left the building:");
    expect(r.stdout).toMatch(/When is <PERSON_1>'s next appointment/); // the prompt as the cloud saw it
    expect(r.stdout).toContain("s2  patient_appointments");
    expect(r.stdout).toContain("answer (local model): Answer from the local model");
    expect(r.stdout).toContain("the real values behind <PERSON_1>");

    const config = JSON.parse(readFileSync(join(demoDir, "flm.config.json"), "utf8"));
    expect(config.tools[0].sensitive.map((s: { column: string }) => s.column)).toEqual(
      expect.arrayContaining([
        "patients.name",
        "patients.ssn",
        "patients.email",
        "patients.phone",
        "patients.birth_date",
      ]),
    );
    expect(existsSync(join(demoDir, "clinic.sqlite"))).toBe(true);

    // Canary rule: the planted patient and every patient the questions touched stayed local.
    const featured = r.stdout.match(/━━ Question 2: When is (.+)'s next/)?.[1];
    expect(featured).toBeTruthy();
    const sent = cloud.allBodies();
    expect(cloud.requests).toHaveLength(3);
    expect(sent).not.toContain("Zephyrine");
    expect(sent).not.toContain(featured!);
    expect(sent).not.toMatch(/\d{3}-\d{2}-\d{4}/); // no SSN
    expect(sent).not.toContain("@example.org");
    // The local model did see the data.
    expect(local.allBodies()).toContain("hypertension");
  });

  it("the same seed gives the same database", async () => {
    const demo = (sub: string) =>
      runCli(
        [
          "demo",
          "--dir",
          join(dir, sub),
          "--questions",
          "1",
          "--planner",
          `${cloud.url}#p`,
          "--generator",
          `${local.url}#g`,
        ],
        { cwd: dir },
      );
    const a = await demo("a");
    const b = await demo("b");
    expect(a.code).toBe(0);
    const line = (s: string) =>
      s
        .split("\n")
        .find((l) => l.startsWith("Clinic database"))
        ?.replace(/: \S+clinic\.sqlite/, "");
    expect(line(a.stdout)).toBe(line(b.stdout));
    expect(
      readFileSync(join(dir, "a", "clinic.sqlite")).equals(readFileSync(join(dir, "b", "clinic.sqlite"))),
    ).toBe(true);
  });

  it("without any model it says exactly what to do and exits 1", async () => {
    const r = await runCli(["demo", "--dir", join(dir, "offline")], {
      cwd: dir,
      env: { FLM_OFFLINE: "1", FLM_MODEL_CACHE: join(dir, "empty-cache") },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error DEMO_MODEL_UNAVAILABLE");
    expect(r.stderr).toContain("FLM_MODEL=/path/to/model.gguf");
    expect(r.stderr).toContain("ollama");
    expect(r.stderr).toContain("OPENAI_API_KEY");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  const tiny = sharedFile("models", "stories260K.gguf");
  it.skipIf(!tiny)("runs on a tiny in-process GGUF (FLM_MODEL), planner local, end to end", async () => {
    const r = await runCli(["demo", "--dir", join(dir, "tiny"), "--questions", "1"], {
      cwd: dir,
      env: { FLM_MODEL: tiny },
      timeoutMs: 170_000,
    });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toContain("planner: local");
    expect(r.stdout).toContain("━━ Question 1");
    // The compact local-planner prompt fits the tiny model's window; the grammar makes its plan
    // valid. Its answer is a children's story, but the run goes through every stage.
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("→ left the building: nothing");
    expect(r.stdout).toContain("answer (local model):");
    expect(r.stdout).toContain("1/1 question(s) answered");
  });
});
