export { type BuildRuntimeOptions, buildRuntime, type Runtime, type RuntimeUser } from "./build-runtime.js";
export { isLocalHost, modelHost } from "./model-host.js";
