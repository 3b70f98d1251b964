import { FlmError, type FlmErrorOptions } from "../../errors/flm-error.js";

export type OpenApiErrorCode =
  | "OPENAPI_CONFIG_INVALID"
  | "OPENAPI_SPEC_INVALID"
  | "OPENAPI_SPEC_UNREADABLE"
  | "OPENAPI_IDENTITY_REQUIRED"
  | "OPENAPI_HTTP_ERROR"
  | "OPENAPI_REQUEST_FAILED"
  | "OPENAPI_TIMEOUT"
  | "OPENAPI_SOURCE_CLOSED";

/** Everything an OpenAPI source throws; `status` is set for HTTP errors from the service. */
export class OpenApiSourceError extends FlmError {
  static override readonly marker: string = "federated-lm.OpenApiSourceError";
  declare readonly code: OpenApiErrorCode;
  readonly source: string;
  readonly status?: number;

  constructor(
    code: OpenApiErrorCode,
    message: string,
    where: { source: string; status?: number },
    options: FlmErrorOptions = {},
  ) {
    super(code, message, options);
    this.source = where.source;
    this.status = where.status;
  }
}
