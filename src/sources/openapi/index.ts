export type { IdentityBinding } from "./http-call.js";
export type { OpenApiDocument, OpenApiSpecInput } from "./load-spec.js";
export { type OpenApiErrorCode, OpenApiSourceError } from "./openapi-errors.js";
export { createOpenApiSource, type OpenApiSourceOptions, type OpenApiToolSource } from "./openapi-source.js";
export type { SkippedOperation } from "./operations.js";
