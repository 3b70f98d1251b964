export { createFunctionSource } from "./function-source.js";
export { sanitizeToolName, uniqueToolNames } from "./tool-name.js";
