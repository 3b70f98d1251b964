import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIO } from "../cli-io.js";
import { type InitPrompts, initCommand } from "./init.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "flm-init-prompts-"));
  const db = new Database(join(dir, "shop.sqlite"));
  db.exec("CREATE TABLE buyers (id INTEGER PRIMARY KEY, first_name TEXT, email TEXT, phone TEXT)");
  db.prepare("INSERT INTO buyers VALUES (1, 'Hannah', 'h@example.org', '+49 30 1234567')").run();
  db.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function io(): CliIO & { lines: string[] } {
  const lines: string[] = [];
  return {
    out: process.stdout,
    err: process.stderr,
    interactive: false,
    secrets: [],
    lines,
    info: (l) => lines.push(l),
    print: (l) => lines.push(l),
  };
}

/** Answers each question from a script and records what was asked. */
function scripted(answers: {
  db: string;
  uncheck: string[];
  planner: string;
  generator: string;
  write: boolean;
}) {
  const asked: string[] = [];
  const prompts: InitPrompts = {
    input: async (q) => {
      asked.push(q.message);
      expect(q.validate?.("")).not.toBe(true);
      return answers.db;
    },
    checkbox: async (q) => {
      asked.push(q.message);
      expect(q.choices.every((c) => c.checked)).toBe(true);
      expect(q.choices.map((c) => c.name).join("\n")).not.toContain("h@example.org");
      return q.choices.map((c) => c.value).filter((v) => !answers.uncheck.includes(v));
    },
    select: async (q) => {
      asked.push(q.message);
      const want = q.message.startsWith("Planner") ? answers.planner : answers.generator;
      expect(q.choices.map((c) => c.value)).toContain(want);
      return want;
    },
    confirm: async (q) => {
      asked.push(q.message);
      return answers.write;
    },
  };
  return { prompts, asked };
}

describe("flm init, interactive (the prompt functions driven by a script)", () => {
  it("asks for the database, the columns to keep, the models, and writes only after the confirmation", async () => {
    const out = join(dir, "flm.config.yaml");
    const { prompts, asked } = scripted({
      db: join(dir, "shop.sqlite"),
      uncheck: ["buyers.phone"],
      planner: "local",
      generator: "",
      write: true,
    });
    // The generators offered are Ollama's models or the in-process one: take the last offered.
    prompts.select = async (q) => {
      asked.push(q.message);
      return q.message.startsWith("Planner") ? "local" : q.choices.at(-1)!.value;
    };
    await initCommand({ out }, io(), prompts);
    expect(asked.map((m) => m.split(" ")[0])).toEqual(["Database:", "Mark", "Planner", "Generator", "Write"]);
    const text = readFileSync(out, "utf8");
    expect(text).toContain("column: buyers.first_name");
    expect(text).toContain("column: buyers.email");
    expect(text).not.toContain("buyers.phone");
    expect(text).toContain("planner: local");
    expect(existsSync(join(dir, "flm-audit.key"))).toBe(true);
  });

  it("writes nothing when the answer to 'Write?' is no", async () => {
    const out = join(dir, "flm.config.yaml");
    const { prompts } = scripted({
      db: "shop.sqlite",
      uncheck: [],
      planner: "local",
      generator: "",
      write: false,
    });
    prompts.select = async (q) => (q.message.startsWith("Planner") ? "local" : q.choices[0]!.value);
    const log = io();
    await initCommand({ out, db: join(dir, "shop.sqlite") }, log, prompts);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, "flm-audit.key"))).toBe(false);
    expect(log.lines).toContain("nothing written");
  });
});
