import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { FlmError } from "../errors/flm-error.js";
import { cacheFileNameFor, pullModel } from "../models/download/index.js";

/**
 * Qwen2.5-3B-Instruct at Q4_K_M: about 1.9 GB, runs on a laptop CPU, follows instructions and
 * writes JSON under a grammar well enough to plan (Phi-3.5-mini is larger at 2.4 GB and weaker at
 * structured output in our trials; 1.5B models plan poorly).
 */
export const DEFAULT_MODEL = {
  uri: "hf:bartowski/Qwen2.5-3B-Instruct-GGUF/Qwen2.5-3B-Instruct-Q4_K_M.gguf",
  // The name `flm pull <uri>` gives it in the cache, so a pulled model is found here.
  file: cacheFileNameFor("hf:bartowski/Qwen2.5-3B-Instruct-GGUF/Qwen2.5-3B-Instruct-Q4_K_M.gguf"),
  approxBytes: 1_930_000_000,
  label: "Qwen2.5-3B-Instruct Q4_K_M",
};

/** A cloud planner per API key found in the environment (also `flm init`'s choices). */
export const CLOUD_PLANNERS: [string, string][] = [
  ["OPENAI_API_KEY", "openai:gpt-4o-mini"],
  ["ANTHROPIC_API_KEY", "anthropic:claude-sonnet-4-5"],
  ["GOOGLE_GENERATIVE_AI_API_KEY", "google:gemini-2.5-flash"],
];

export interface ModelChoice {
  planner: string;
  generator: string;
  /** Human explanation printed before the demo runs. */
  why: string[];
}

export class DemoModelError extends FlmError {
  static override readonly marker: string = "federated-lm.DemoModelError";
  constructor(reason: string, cause?: unknown) {
    super("DEMO_MODEL_UNAVAILABLE", `The demo needs a local model and could not get one: ${reason}`, {
      cause,
      hint: [
        "\nDo one of these, then run `flm demo` again:",
        "  • point FLM_MODEL at a GGUF file you have:   FLM_MODEL=/path/to/model.gguf flm demo",
        "  • use Ollama:                                FLM_MODEL=ollama:qwen2.5:3b flm demo   (OLLAMA_BASE_URL if not on localhost:11434)",
        "  • use any OpenAI-compatible local server:    FLM_MODEL=http://127.0.0.1:8080/v1#model flm demo",
        `  • download the default once when online:     flm pull ${DEFAULT_MODEL.uri}`,
        "  • and to plan in the cloud, also set OPENAI_API_KEY (or ANTHROPIC_API_KEY / GOOGLE_GENERATIVE_AI_API_KEY).",
      ].join("\n"),
    });
  }
}

/** The same cache `flm pull` fills: `$FLM_MODEL_CACHE`, else `~/.cache/flm/models`. */
export function modelCacheDir(env: Record<string, string | undefined> = process.env): string {
  return env.FLM_MODEL_CACHE || join(homedir(), ".cache", "flm", "models");
}

/** Flags win, then FLM_MODEL, then the cached or downloaded default. A cloud key makes the cloud plan. */
export async function chooseModels(
  flags: { planner?: string; generator?: string },
  env: Record<string, string | undefined>,
  onDownload: (info: {
    label: string;
    bytes: number;
  }) => ((done: number, total?: number) => void) | undefined,
): Promise<ModelChoice> {
  const why: string[] = [];
  let generator = flags.generator ?? env.FLM_MODEL;
  if (flags.generator) why.push(`generator: ${flags.generator} (--generator)`);
  else if (env.FLM_MODEL) why.push(`generator: ${env.FLM_MODEL} (FLM_MODEL)`);
  else {
    const cached = join(modelCacheDir(env), DEFAULT_MODEL.file);
    if (existsSync(cached)) generator = cached;
    else if (env.FLM_OFFLINE)
      throw new DemoModelError(
        `FLM_OFFLINE is set and ${DEFAULT_MODEL.file} is not in ${modelCacheDir(env)}.`,
      );
    else generator = await download(onDownload, env);
    why.push(`generator: ${DEFAULT_MODEL.label}, in-process (${generator})`);
  }
  let planner = flags.planner;
  if (planner) why.push(`planner: ${planner} (--planner)`);
  else {
    const cloud = CLOUD_PLANNERS.find(([key]) => env[key]);
    planner = cloud ? cloud[1] : "local";
    why.push(
      cloud
        ? `planner: ${cloud[1]} (${cloud[0]} is set): the cloud plans, seeing only pseudonymized text`
        : "planner: local, grammar-constrained (no cloud key set): nothing leaves this machine",
    );
  }
  return { planner, generator: generator!, why };
}

async function download(
  onDownload: Parameters<typeof chooseModels>[2],
  env: Record<string, string | undefined>,
): Promise<string> {
  const update = onDownload({ label: DEFAULT_MODEL.label, bytes: DEFAULT_MODEL.approxBytes });
  try {
    const result = await pullModel(DEFAULT_MODEL.uri, {
      cacheDir: modelCacheDir(env),
      fileName: DEFAULT_MODEL.file,
      onProgress: (p) => update?.(p.downloadedSize, p.totalSize || DEFAULT_MODEL.approxBytes),
    });
    return result.path;
  } catch (cause) {
    throw new DemoModelError(
      `downloading ${DEFAULT_MODEL.uri} failed (${(cause as Error)?.message ?? String(cause)}).`,
      cause,
    );
  }
}
