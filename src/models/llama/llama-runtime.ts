/**
 * One llama.cpp runtime per process, and loaded models shared by path with reference counts:
 * several `createLlamaModel()` instances over the same file load the weights once.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
// Types only at load time: the bindings load on first use, so importing flm stays fast.
import type { Llama, LlamaModel } from "node-llama-cpp";
import { LlamaModelLoadError } from "./errors.js";
import { loadLlamaCpp } from "../../core/load-optional.js";

export type LlamaGpuOption = false | "auto" | "cuda" | "vulkan" | "metal";

const runtimes = new Map<string, Promise<Llama>>();

/** The shared runtime; CPU by default (predictable, no build or probe step). */
export function getLlamaRuntime(gpu: LlamaGpuOption = false): Promise<Llama> {
  const key = String(gpu);
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = loadLlamaCpp().then(({ getLlama }) => getLlama({ gpu, logLevel: "error" as never }));
    runtimes.set(key, runtime);
    runtime.catch(() => runtimes.delete(key));
  }
  return runtime;
}

interface CacheEntry {
  refs: number;
  model: Promise<LlamaModel>;
}

const models = new Map<string, CacheEntry>();

export interface LlamaModelHandle {
  readonly path: string;
  readonly model: LlamaModel;
  /** Drops this reference; the model is unloaded when the last one is released. Idempotent. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  gpu?: LlamaGpuOption;
}

/** Loads (or reuses) the model at `path`. Every successful call must be paired with `release()`. */
export async function acquireLlamaModel(
  path: string,
  options: AcquireOptions = {},
): Promise<LlamaModelHandle> {
  const absolute = resolve(path);
  const key = `${String(options.gpu ?? false)}:${absolute}`;
  let entry = models.get(key);
  if (!entry) {
    if (!existsSync(absolute)) throw new LlamaModelLoadError(absolute, new Error("file not found"));
    const model = (async () => {
      const llama = await getLlamaRuntime(options.gpu ?? false);
      try {
        return await llama.loadModel({ modelPath: absolute });
      } catch (error) {
        throw new LlamaModelLoadError(absolute, error);
      }
    })();
    entry = { refs: 0, model };
    models.set(key, entry);
    model.catch(() => {
      if (models.get(key) === entry) models.delete(key);
    });
  }
  entry.refs++;
  const current = entry;
  let model: LlamaModel;
  try {
    model = await current.model;
  } catch (error) {
    current.refs--;
    throw error;
  }
  let released = false;
  return {
    path: absolute,
    model,
    async release() {
      if (released) return;
      released = true;
      current.refs--;
      if (current.refs === 0 && models.get(key) === current) {
        models.delete(key);
        await model.dispose();
      }
    },
  };
}

/** How many distinct models are loaded right now (for tests and diagnostics). */
export function loadedLlamaModelCount(): number {
  return models.size;
}
