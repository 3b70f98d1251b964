import { FlmError } from "../../errors/flm-error.js";

/** The GGUF file could not be found or loaded by llama.cpp. */
export class LlamaModelLoadError extends FlmError {
  static override readonly marker: string = "federated-lm.LlamaModelLoadError";
  readonly modelPath: string;
  constructor(modelPath: string, cause?: unknown) {
    super("LLAMA_MODEL_LOAD_FAILED", `Could not load the GGUF model at "${modelPath}".`, {
      cause,
      hint: "Check that the path points to a readable .gguf file (download one with `flm pull <uri>`), or use an Ollama / OpenAI-compatible endpoint instead.",
    });
    this.modelPath = modelPath;
  }
}

/** The model instance was used after `dispose()`. */
export class LlamaModelDisposedError extends FlmError {
  static override readonly marker: string = "federated-lm.LlamaModelDisposedError";
  constructor() {
    super("LLAMA_MODEL_DISPOSED", "This in-process model was disposed.", {
      hint: "Create a new one with createLlamaModel().",
    });
  }
}

/** The prompt alone does not fit the model's context window. */
export class LlamaPromptTooLongError extends FlmError {
  static override readonly marker: string = "federated-lm.LlamaPromptTooLongError";
  constructor(promptTokens: number, contextSize: number, cause?: unknown) {
    super(
      "LOCAL_PROMPT_TOO_LONG",
      `The prompt is about ${promptTokens} tokens, but the local model's context holds ${contextSize}.`,
      {
        cause,
        hint: "Use a model with a larger context (contextSize / contextWindow), offer fewer or shorter tool descriptions, or plan in the cloud.",
      },
    );
  }
}
