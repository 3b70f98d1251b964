export { createFunctionSource } from "./function-source.js";
