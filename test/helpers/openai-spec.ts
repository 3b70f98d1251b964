/**
 * Validates values against schemas of OpenAI's official OpenAPI spec (../shared/specs).
 * The spec is OpenAPI 3.1 with some 3.0 leftovers; as ../shared/README.md says: `nullable: true`
 * becomes a type list with "null", a bare `type: null` is dropped, and the components are
 * registered under an `$id` so `#/components/schemas/X` references resolve.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { sharedFile } from "./shared-dir.js";

export interface OpenAISpec {
  /** Errors as readable strings; empty when valid. */
  validate(schemaName: string, value: unknown): string[];
  /** Throws with every error and the value when invalid. */
  assertValid(schemaName: string, value: unknown): void;
}

const SPEC_ID = "https://flm.local/openai-openapi.json";
let cached: OpenAISpec | undefined | null = null;

/** Undefined when ../shared (or the spec in it) is absent. */
export function loadOpenAISpec(): OpenAISpec | undefined {
  if (cached !== null) return cached;
  const path = sharedFile("specs", "openai-openapi.yaml");
  if (!path) {
    cached = undefined;
    return undefined;
  }
  const components = convertedComponents(path);
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false, validateFormats: true });
  const addFormats = addFormatsModule as unknown as (a: Ajv2020) => void;
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, components });
  const validators = new Map<string, ValidateFunction>();
  const get = (name: string) => {
    let v = validators.get(name);
    if (!v) {
      v = ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${name}` });
      validators.set(name, v);
    }
    return v;
  };
  const validate = (name: string, value: unknown) => {
    const v = get(name);
    return v(value)
      ? []
      : (v.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  };
  cached = {
    validate,
    assertValid(name, value) {
      const errors = validate(name, value);
      if (errors.length)
        throw new Error(`Not a valid ${name}:\n${errors.join("\n")}\nvalue: ${JSON.stringify(value)}`);
    },
  };
  return cached;
}

/** Parsing the 3 MB YAML takes seconds; the converted components are cached by content hash. */
function convertedComponents(path: string): unknown {
  const text = readFileSync(path, "utf8");
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
  const cache = join(tmpdir(), `flm-openai-spec-${hash}.json`);
  if (existsSync(cache)) {
    try {
      return JSON.parse(readFileSync(cache, "utf8"));
    } catch {
      // a torn or foreign file: rebuild it
    }
  }
  const doc = parse(text, { maxAliasCount: -1 }) as { components: unknown };
  const components = convert(doc.components);
  const temp = `${cache}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(components));
  renameSync(temp, cache);
  return components;
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "type" && v === null) continue;
    if (k === "nullable") continue;
    out[k] = convert(v);
  }
  if ((node as Record<string, unknown>).nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    else if (Array.isArray(out.type)) out.type = [...new Set([...out.type, "null"])];
    else return { anyOf: [out, { type: "null" }] };
    // An enum must also admit null, or the type list alone would not let null through.
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

/**
 * Spec conformance as its own, visible test: `record()` keeps each response a test produced (the
 * test's own assertions always run), and `defineTest()` (call it last in the file) registers one
 * test that validates everything recorded. Without ../shared that test shows as skipped, never as
 * a pass that checked nothing.
 */
export function specConformance(file: string): {
  record(schemaName: string, value: unknown): void;
  defineTest(): void;
} {
  const spec = loadOpenAISpec();
  const recorded: Array<{ schemaName: string; value: unknown; test: string }> = [];
  return {
    record(schemaName, value) {
      recorded.push({
        schemaName,
        value: structuredClone(value),
        test: expect.getState().currentTestName ?? "(outside a test)",
      });
    },
    defineTest() {
      it.skipIf(!spec)(`${file}: every recorded response conforms to OpenAI's OpenAPI spec`, () => {
        expect(recorded.length).toBeGreaterThan(0);
        for (const { schemaName, value, test } of recorded) {
          const errors = spec!.validate(schemaName, value);
          expect(errors, `${schemaName} from "${test}": ${JSON.stringify(value)}`).toEqual([]);
        }
      });
    },
  };
}
