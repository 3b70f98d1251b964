/**
 * Prefill while waiting: a local model reads the part of its answer prompt that is already known
 * (instructions, question, the results so far) while the cloud plans and the tools run, so that
 * when the last result arrives only the rest is left to read.
 */
import type { LanguageModelV3, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { canPrefill, type PrefillCapable } from "../core/prefill-capable.js";

export { canPrefill, type PrefillCapable } from "../core/prefill-capable.js";

/**
 * Prefill for a local model served over HTTP: llama.cpp server (`cache_prompt`, on by default),
 * vLLM (automatic prefix caching) and Ollama keep the tokens of a request's prompt and reuse the
 * longest common prefix for the next request. A warm-up request with the prompt so far and one
 * output token leaves it read; the answer request then evaluates only the rest. (In-process
 * llama.cpp models have their own `prefill`, which reads without generating.)
 */
export function withPromptWarmUp<M extends LanguageModelV3>(model: M): M & PrefillCapable {
  if (canPrefill(model)) return model;
  const prefill = async (prompt: LanguageModelV3Prompt, options: { signal?: AbortSignal } = {}) => {
    await model.doGenerate({ prompt, maxOutputTokens: 1, temperature: 0, abortSignal: options.signal });
  };
  // A proxy, not a copy: provider models are class instances (private fields, getters).
  return new Proxy(model, {
    get(target, key) {
      if (key === "prefill") return prefill;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
    has: (target, key) => key === "prefill" || Reflect.has(target, key),
  }) as M & PrefillCapable;
}
