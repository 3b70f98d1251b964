/**
 * Every error code flm uses, with the HTTP status the gateway answers with, the exit code of the
 * `flm` CLI, and one line on what it means. The gateway and the CLI read this table (no string
 * prefixes), and docs/reference/errors.md is generated from it. Add your code here when you add it.
 */

/** `flm` exit codes: scripts can tell a bad invocation from a bad config from a failed run. */
export const EXIT = { ok: 0, runtime: 1, usage: 2, config: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ErrorCodeInfo {
  /** Status of the gateway's OpenAI-style error response. */
  http: number;
  /** `flm` exit code. */
  exit: ExitCode;
  /** One line: what happened. */
  description: string;
  /** Sent as `retry-after` (seconds) with the HTTP error: the condition is expected to clear. */
  retryAfterSeconds?: number;
}

const config = (description: string): ErrorCodeInfo => ({ http: 500, exit: EXIT.config, description });
const runtime = (description: string, http = 500): ErrorCodeInfo => ({
  http,
  exit: EXIT.runtime,
  description,
});

export const ERROR_CODES = {
  // Input and run lifecycle
  PROMPT_EMPTY: runtime("The prompt is empty.", 400),
  RUN_CANCELLED: runtime(
    "The caller (or the gateway: client gone, timeout, shutdown) cancelled the run.",
    499,
  ),
  RUN_INCOMPLETE: runtime("The run ended without a result (an internal fault)."),
  DEPENDENCY_MISSING: runtime(
    "A feature needs an optional package that is not installed; the message names it.",
  ),
  USAGE: {
    http: 400,
    exit: EXIT.usage,
    description: "The command line was invalid (missing argument, conflicting flags).",
  },

  // Configuration
  CONFIG_INVALID: config("The configuration does not validate; the message names each key path."),
  CONFIG_NOT_FOUND: config("No configuration file was found, or the given path does not exist."),
  CONFIG_ENV_MISSING: config("The configuration refers to an environment variable that is not set."),
  CONFIG_ENV_SYNTAX: config(
    "A `${` in the configuration is not a well-formed `${NAME}` reference (e.g. no closing brace).",
  ),
  EVAL_SUITE_NOT_FOUND: config(
    "`flm eval` was given a suite that is neither a file nor a built-in suite name.",
  ),
  EVAL_SUITE_INVALID: config("An eval suite file does not validate; the message names each key path."),
  EVAL_DATA_NOT_FOUND: config(
    "A built-in eval suite needs a database that was not found (e.g. the Chinook file).",
  ),
  GENERATOR_UNTRUSTED: config(
    "A model that sees data (the generator, a local planner) is on a host that is neither local nor declared trusted.",
  ),
  MODEL_SPEC_INVALID: config(
    "A model spec could not be parsed (provider:model, URL#model, or the object form).",
  ),
  MODEL_KEY_MISSING: config("A cloud model has no API key (set the provider's key variable or apiKeyEnv)."),
  AGENT_CONFIG_INVALID: config("An agent was configured with invalid options."),
  GATEWAY_CONFIG_INVALID: config(
    "The gateway was configured without agents or users, or with duplicate tokens.",
  ),
  SOURCE_CONFIG_INVALID: config("A function source was configured with invalid options."),
  TOOL_DEFINITION_INVALID: runtime("A tool definition is invalid (name, description or input schema)."),
  TOOL_NAME_CONFLICT: runtime("Two tools have the same name; give a source a prefix or rename a query."),

  // Planning
  PLANNER_FAILED: runtime("The planner model could not be reached or failed.", 502),
  PLANNER_TIMEOUT: runtime("The planner did not answer within plannerTimeoutMs.", 504),
  PLAN_INVALID: runtime("The planner's plan was still invalid after every repair round.", 502),
  PLANNER_RATE_LIMITED: runtime(
    "The planner's provider kept answering 429 (rate limited) past the retries that fit in plannerTimeoutMs.",
    503,
  ),

  // Execution (step outcomes in traces; a step failure does not fail the run)
  STEP_TIMEOUT: runtime("A tool did not finish within its timeout."),
  STEP_ARGS_INVALID: runtime(
    "A step's arguments were invalid once references and placeholders were filled in.",
  ),
  TOOL_FAILED: runtime("A tool threw an error that was not an flm error."),
  DEPENDENCY_FAILED: runtime("A step was skipped because a step it refers to did not succeed."),
  UNKNOWN_TOOL: runtime("A step names a tool that does not exist."),
  REF_UNRESOLVED: runtime("A step's reference to another step's output did not resolve."),

  // Privacy
  PRIVACY_POLICY_BLOCKED: runtime("The prompt contains a value of a type the privacy policy blocks.", 400),
  EGRESS_BLOCKED: runtime(
    "A request to the cloud carried a tainted value (or could not be inspected); nothing was sent.",
    403,
  ),
  PLACEHOLDER_UNKNOWN: runtime("The plan used a placeholder the vault never issued.", 502),
  PRIVACY_SESSION_UNKNOWN: runtime("A privacy session handle was not created by this privacy firewall."),
  INDEX_REFRESH_FAILED: runtime("`flm index refresh` could not make the running gateway refresh its index."),
  PROMPT_TAINTED: runtime(
    "The prompt quotes values flm gave the user earlier, which the privacy policy blocks.",
    400,
  ),
  PRIVACY_DETECTION_FAILED: {
    ...runtime(
      "Detecting private values in the prompt failed (the NER worker crashed or timed out); nothing was sent.",
      503,
    ),
    retryAfterSeconds: 1,
  },
  ANSWER_TAINT_UNAVAILABLE: {
    ...runtime("The answer-taint store could not be read or written; the request was refused.", 503),
    retryAfterSeconds: 1,
  },

  // Local answer model
  GENERATOR_FAILED: runtime("The local answer model failed or did not finish in time.", 502),
  LOCAL_PROMPT_TOO_LONG: runtime("The prompt alone does not fit the in-process model's context window."),
  LLAMA_MODEL_LOAD_FAILED: runtime("The GGUF model file could not be found or loaded by llama.cpp."),
  LLAMA_MODEL_DISPOSED: runtime("An in-process model was used after dispose()."),
  OLLAMA_REQUEST_FAILED: runtime("A request to Ollama failed (not running, model missing, HTTP error)."),
  OLLAMA_HOST_REFUSED: runtime("An Ollama embedding host is neither local/private nor declared trusted."),
  MODEL_DOWNLOAD_FAILED: runtime("A model download failed (HTTP error, stalled, checksum mismatch)."),
  MODEL_DOWNLOAD_ABORTED: runtime("A model download was cancelled; nothing was kept."),
  DEMO_MODEL_UNAVAILABLE: runtime("`flm demo` could not find or download a model to run on."),

  // SQL sources
  SQL_CONFIG_INVALID: config("A SQL source or one of its queries is configured wrongly."),
  SQL_CONNECTION_FAILED: runtime("The database could not be opened or reached."),
  SQL_QUERY_FAILED: runtime("The database rejected a query."),
  SQL_TIMEOUT: runtime("A query ran longer than statementTimeoutMs and was stopped."),
  SQL_ABORTED: runtime("The run was cancelled while a query ran."),
  SQL_READ_ONLY: runtime("A statement tried to change data on a read-only connection."),
  SQL_ARGUMENT_INVALID: runtime("The planner's arguments to a table tool were invalid."),
  SQL_CALLER_REQUIRED: runtime("A query binds the caller's identity, but the run has no caller."),
  SQL_BUSY: runtime(
    "The database was locked by another process (or still busy with statements that timed out) for the whole statement timeout; retrying later can succeed.",
  ),

  // SQLite connections (src/sqlite: each connection in a worker thread; sources map these to their own codes)
  SQLITE_OPEN_FAILED: runtime("A SQLite file could not be opened, or was deleted and not replaced."),
  SQLITE_BUSY: {
    ...runtime("Another connection held a SQLite lock past the busy timeout.", 503),
    retryAfterSeconds: 1,
  },
  SQLITE_TIMEOUT: runtime("A SQLite statement ran past its timeout and was stopped."),
  SQLITE_ABORTED: runtime("A SQLite statement was cancelled (its run was cancelled)."),
  SQLITE_OVERLOADED: {
    ...runtime(
      "SQLite statements that timed out are still running; new ones are refused until they end.",
      503,
    ),
    retryAfterSeconds: 1,
  },
  SQLITE_WRITE_REFUSED: runtime("A statement that changes data was sent where only reads are allowed."),
  SQLITE_READONLY: runtime("SQLite refused a write (read-only connection, file or directory)."),
  SQLITE_QUERY_FAILED: runtime("SQLite refused a statement (syntax, constraint, trigger)."),
  SQLITE_CLOSED: runtime("A SQLite connection was used after close()."),
  SQLITE_WORKER_FAILED: runtime(
    "The worker thread of a SQLite connection died; the next statement starts a new one.",
  ),

  // MongoDB sources
  MONGO_CONFIG_INVALID: config("A MongoDB source is configured wrongly."),
  MONGO_CONNECTION_FAILED: runtime("The MongoDB server could not be reached."),
  MONGO_QUERY_FAILED: runtime("The MongoDB server rejected a query."),
  MONGO_TIMEOUT: runtime("A query ran longer than maxTimeMS."),
  MONGO_ABORTED: runtime("The run was cancelled while a query ran."),
  MONGO_ARGUMENT_INVALID: runtime("The planner's filter or pipeline was malformed."),
  MONGO_OPERATOR_REFUSED: runtime("The planner used a query operator that is not allowed."),
  MONGO_STAGE_REFUSED: runtime("The planner used a pipeline stage that is not allowed."),
  MONGO_FIELD_REFUSED: runtime("The planner used a field that is not declared for the collection."),
  MONGO_CALLER_REQUIRED: runtime("A collection binds the caller's identity, but the run has no caller."),

  // MCP sources
  MCP_CONFIG_INVALID: config("An MCP source is configured wrongly."),
  MCP_CONNECTION_FAILED: runtime("The MCP server could not be started or reached."),
  MCP_CALL_FAILED: runtime("An MCP tool call failed at the protocol level."),
  MCP_TOOL_ERROR: runtime("An MCP tool reported an error result."),
  MCP_TIMEOUT: runtime("An MCP call did not finish within timeoutMs."),
  MCP_SOURCE_CLOSED: runtime("An MCP source was used after close()."),

  // OpenAPI sources
  OPENAPI_CONFIG_INVALID: config("An OpenAPI source is configured wrongly."),
  OPENAPI_SPEC_UNREADABLE: runtime("The OpenAPI document could not be read or fetched."),
  OPENAPI_SPEC_INVALID: runtime("The OpenAPI document is not a valid OpenAPI 3 document."),
  OPENAPI_REQUEST_FAILED: runtime("A request to the service failed before an HTTP response."),
  OPENAPI_HTTP_ERROR: runtime("The service answered with an HTTP error status."),
  OPENAPI_TIMEOUT: runtime("A request to the service did not finish within timeoutMs."),
  OPENAPI_IDENTITY_REQUIRED: runtime("An operation binds the caller's identity, but the run has no caller."),
  OPENAPI_SOURCE_CLOSED: runtime("An OpenAPI source was used after close()."),

  // Function sources
  SOURCE_CLOSED: runtime("A function source was used after close()."),

  // Documents
  DOC_EMPTY: runtime("A file has no text (skipped at ingest)."),
  DOC_BINARY: runtime("A file is binary, not text (skipped at ingest)."),
  DOC_TOO_LARGE: runtime("A file is larger than the ingest limit (skipped)."),
  DOC_UNSUPPORTED_TYPE: runtime("A file type has no parser (skipped)."),
  DOC_PDF_INVALID: runtime("A PDF could not be parsed (skipped)."),
  DOC_PDF_NO_TEXT: runtime("A PDF has no text layer (scanned images; skipped)."),
  DOC_PARSE_FAILED: runtime("A file could not be parsed (skipped)."),
  DOC_READ_FAILED: runtime("A file could not be read (skipped)."),
  DOC_FOLDER_NOT_FOUND: runtime("The folder to ingest does not exist."),
  DOC_INDEX_FOLDER_MISMATCH: runtime("The index was built from another folder."),
  DOC_INDEX_INVALID: runtime("The document index is not a valid flm index (or a newer version)."),
  DOC_INDEX_NOT_FOUND: runtime("The document index does not exist yet (ingest first)."),
  DOC_INDEX_UNREACHABLE: runtime("The PostgreSQL document index could not be reached."),
  DOC_PGVECTOR_UNAVAILABLE: runtime(
    "The pgvector extension was asked for but is not installed in the database.",
  ),
  DOC_INGEST_ABORTED: runtime(
    "An ingest stopped early (cancelled, or the embedder failed); the report says how far it got.",
  ),
  DOC_QUERY_INVALID: runtime("A document search had an invalid query or filter."),
  DOC_EMBEDDER_HOST_REFUSED: runtime(
    "An embedding endpoint is not local or private and not declared trusted.",
  ),
  DOC_EMBEDDER_FAILED: runtime("The embedding endpoint failed or could not be resolved."),
  DOC_EMBEDDER_MISMATCH: runtime("The index was embedded with another model or dimension."),

  // Audit log
  AUDIT_CONFIG_INVALID: config("The audit log is configured wrongly."),
  AUDIT_KEY_MISSING: runtime("The audit signing key (or public key) does not exist."),
  AUDIT_KEY_UNREADABLE: runtime("The audit key file cannot be read (permissions, a directory)."),
  AUDIT_KEY_INVALID: runtime("The audit key is not a PEM Ed25519 key of the expected half."),
  AUDIT_KEY_EXISTS: runtime("An audit key already exists at that path (not overwritten)."),
  AUDIT_ENCODING_INVALID: runtime("A value could not be canonically encoded for the audit log."),
  AUDIT_STORE_FAILED: runtime("The audit store failed (disk, SQL); nothing was sent without its record."),
  AUDIT_STORE_UNAVAILABLE: {
    ...runtime("The audit store is locked or unreachable for now; nothing was sent without its record.", 503),
    retryAfterSeconds: 1,
  },
  AUDIT_LOG_ABSENT: runtime(
    "An audit log that should exist does not (deleted file, dropped schema, wrong path).",
  ),
  AUDIT_NOTE_INVALID: runtime("A signed checkpoint, cosignature or note is malformed or does not verify."),
  AUDIT_WITNESS_FAILED: runtime(
    "A witness could not be reached or refused a checkpoint; appends continue and it is retried.",
    502,
  ),

  // Shared state (state.url: PostgreSQL for several replicas)
  STATE_STORE_UNAVAILABLE: {
    ...runtime(
      "The shared state store (PostgreSQL at state.url) is unreachable for now; nothing was sent or half-written.",
      503,
    ),
    retryAfterSeconds: 1,
  },
  STATE_STORE_FAILED: runtime(
    "The shared state store refused a statement (permissions, a schema from a newer flm).",
  ),

  // Readiness (GET /readyz names each failed check by one of these)
  MODEL_UNAVAILABLE: runtime("A local model did not answer the readiness probe.", 503),
  SOURCE_UNAVAILABLE: runtime("A tool source did not open for the readiness probe.", 503),
  CHECK_TIMEOUT: runtime("A readiness check got no answer within its timeout.", 503),
  CHECK_FAILED: runtime("The readiness check itself failed.", 503),

  // Trace store
  TRACE_CONFIG_INVALID: config("The trace store is configured wrongly (schema name, limits)."),
  TRACE_QUERY_INVALID: runtime("A runs query is malformed (page cursor, date, status).", 400),
  TRACE_STORE_FAILED: {
    ...runtime("The trace store could not be opened, read or written.", 503),
    retryAfterSeconds: 1,
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The registry entry of a code; undefined for a code flm does not know (treated as 500 / exit 1). */
export function errorCodeInfo(code: string): ErrorCodeInfo | undefined {
  return Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as ErrorCode] : undefined;
}

export function httpStatusOf(code: string): number {
  return errorCodeInfo(code)?.http ?? 500;
}

export function exitCodeOf(code: string): ExitCode {
  return errorCodeInfo(code)?.exit ?? EXIT.runtime;
}
