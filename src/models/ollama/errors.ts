import { FlmError } from "../../errors/flm-error.js";

/** Ollama answered with an error status or could not be reached. */
export class OllamaRequestError extends FlmError {
  static override readonly marker: string = "federated-lm.OllamaRequestError";
  readonly status?: number;
  constructor(baseURL: string, message: string, status?: number, cause?: unknown) {
    super("OLLAMA_REQUEST_FAILED", `Ollama at ${baseURL} failed: ${message}.`, {
      cause,
      hint:
        status === 404
          ? "Pull the model first (`ollama pull <model>`) or check the model name."
          : "Check that Ollama is running (`ollama serve`) and that baseURL points to it (default http://127.0.0.1:11434).",
    });
    this.status = status;
  }
}

/** The embedding host is not trusted to see the texts (public, or unresolvable), and not declared trusted. */
export class OllamaHostRefusedError extends FlmError {
  static override readonly marker: string = "federated-lm.OllamaHostRefusedError";
  constructor(detail: string) {
    super("OLLAMA_HOST_REFUSED", `Refusing to send texts to Ollama: ${detail}.`, {
      hint: "Embeddings must be computed on premises: point baseURL at a local or private Ollama, or pass trusted: true if that host is yours.",
    });
  }
}
