import { FlmError } from "../errors/flm-error.js";

/** A step's tool did not answer in time. */
export class StepTimeoutError extends FlmError {
  static override readonly marker: string = "federated-lm.StepTimeoutError";
  constructor(tool: string, ms: number) {
    super("STEP_TIMEOUT", `Tool "${tool}" did not finish within ${ms} ms.`, {
      hint: "Raise the tool's timeoutMs or the agent's stepTimeoutMs if the source is slow.",
    });
  }
}

/** Arguments were invalid after references and placeholders were filled in. */
export class StepArgumentsError extends FlmError {
  static override readonly marker: string = "federated-lm.StepArgumentsError";
  constructor(message: string) {
    super("STEP_ARGS_INVALID", message);
  }
}
