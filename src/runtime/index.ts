/**
 * federated-lm/config: load and validate `flm.config.*` (src/config) and build a runtime from it
 * (agents, sources, privacy, audit, models).
 */
export * from "../config/index.js";
export { type BuildRuntimeOptions, buildRuntime, type Runtime, type RuntimeUser } from "./build-runtime.js";
export { isLocalHost, modelHost } from "./model-host.js";
