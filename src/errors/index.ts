export {
  ERROR_CODES,
  type ErrorCode,
  type ErrorCodeInfo,
  errorCodeInfo,
  EXIT,
  type ExitCode,
  exitCodeOf,
  httpStatusOf,
} from "./codes.js";
export { FlmError, type FlmErrorOptions, isFlmError } from "./flm-error.js";
