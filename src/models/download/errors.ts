import { FlmError } from "../../errors/flm-error.js";

const WHAT_TO_DO =
  "Pass a path to a local .gguf file, a direct https:// URL to a .gguf file, a model URI such as hf:<user>/<repo>/<file>.gguf, or use an Ollama endpoint (http://127.0.0.1:11434) instead.";

/** The model could not be downloaded (not found, network, server error). */
export class ModelDownloadError extends FlmError {
  static override readonly marker: string = "federated-lm.ModelDownloadError";
  readonly uri: string;
  constructor(uri: string, reason: string, cause?: unknown) {
    super("MODEL_DOWNLOAD_FAILED", `Could not download the model "${uri}": ${reason}.`, {
      cause,
      hint: WHAT_TO_DO,
    });
    this.uri = uri;
  }
}

/** The download was cancelled through the abort signal. */
export class ModelDownloadAbortedError extends FlmError {
  static override readonly marker: string = "federated-lm.ModelDownloadAbortedError";
  constructor(uri: string, cause?: unknown) {
    super("MODEL_DOWNLOAD_ABORTED", `The download of "${uri}" was cancelled; nothing was kept.`, {
      cause,
      hint: "Run the pull again to restart it.",
    });
  }
}
