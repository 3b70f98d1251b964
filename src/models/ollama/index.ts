export { OllamaHostRefusedError, OllamaRequestError } from "./errors.js";
export {
  createOllamaModel,
  type OllamaLanguageModel,
  type OllamaModelOptions,
} from "./ollama-chat-model.js";
export {
  createOllamaEmbedFunction,
  type EmbedFunction,
  type OllamaEmbedOptions,
  ollamaEmbed,
} from "./ollama-embed.js";
