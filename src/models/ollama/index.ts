export { OllamaRequestError } from "./errors.js";
export {
  createOllamaModel,
  normalizeOllamaBaseURL,
  type OllamaLanguageModel,
  type OllamaModelOptions,
} from "./ollama-chat-model.js";
export { type EmbedFunction, type OllamaEmbedOptions, ollamaEmbed } from "./ollama-embed.js";
