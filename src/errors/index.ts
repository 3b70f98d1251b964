export { FlmError, type FlmErrorOptions, isFlmError } from "./flm-error.js";
