import type { LanguageModelV3, LanguageModelV3Prompt } from "@ai-sdk/provider";
import type { LanguageModel } from "ai";

/**
 * A model that can read a prompt ahead of the request that continues it (prefill while waiting):
 * in-process llama.cpp reads it into a sequence; a local server is sent a warm-up request
 * (`withPromptWarmUp` in src/models/prompt-prefill.ts).
 */
export interface PrefillCapable {
  /**
   * Reads `prompt` (whose last user message may still grow) so that a later request starting
   * with it evaluates only what follows. Best effort: it may read nothing.
   */
  prefill(prompt: LanguageModelV3Prompt, options?: { signal?: AbortSignal }): Promise<unknown>;
}

export function canPrefill(model: LanguageModel): model is LanguageModelV3 & PrefillCapable {
  return (
    typeof model === "object" &&
    model.specificationVersion === "v3" &&
    typeof (model as Partial<PrefillCapable>).prefill === "function"
  );
}
