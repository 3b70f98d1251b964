import { FlmError, type FlmErrorOptions } from "../errors/flm-error.js";

export type EvalSuiteErrorCode = "EVAL_SUITE_NOT_FOUND" | "EVAL_SUITE_INVALID" | "EVAL_DATA_NOT_FOUND";

/** A suite that cannot be found, read or validated, or a built-in suite's missing data. */
export class EvalSuiteError extends FlmError {
  static override readonly marker: string = "federated-lm.EvalSuiteError";
  declare readonly code: EvalSuiteErrorCode;

  constructor(code: EvalSuiteErrorCode, message: string, options?: FlmErrorOptions) {
    super(code, message, options);
  }
}
