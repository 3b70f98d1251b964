export { LlamaModelDisposedError, LlamaModelLoadError, LlamaPromptTooLongError } from "./errors.js";
export { toGbnfJsonSchema } from "./json-schema-to-gbnf.js";
export {
  createLlamaModel,
  type LlamaLanguageModel,
  type LlamaModelOptions,
  type PrefillResult,
} from "./llama-language-model.js";
export {
  type AcquireOptions,
  acquireLlamaModel,
  getLlamaRuntime,
  type LlamaGpuOption,
  type LlamaModelHandle,
  loadedLlamaModelCount,
} from "./llama-runtime.js";
export { promptToChatHistory } from "./prompt-to-history.js";
