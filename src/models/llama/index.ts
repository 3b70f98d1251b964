export { LlamaModelDisposedError, LlamaModelLoadError, LlamaPromptTooLongError } from "./errors.js";
export {
  createLlamaModel,
  type LlamaLanguageModel,
  type LlamaModelOptions,
  type PrefillResult,
} from "./llama-language-model.js";
export type { LlamaGpuOption } from "./llama-runtime.js";
