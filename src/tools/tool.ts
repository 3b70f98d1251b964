import type { Caller } from "./caller.js";
import type { JSONSchema7, SchemaIssue } from "./json-schema.js";

export interface ToolRunContext {
  /** Who the run acts for; undefined only for anonymous library use. */
  caller?: Caller;
  /** Aborted on timeout, on run cancellation, or when the client goes away. */
  signal: AbortSignal;
  /** The plan step this call belongs to (for logs and citations). */
  stepId: string;
  /**
   * The time this call has (the step timeout, at most `limits.stepTimeoutMs`); `signal` aborts when
   * it is up. Sources hand it to client libraries that keep their own timeouts.
   */
  timeoutMs?: number;
}

/**
 * A capability the planner may call and the executor runs locally. The planner only ever
 * sees `name`, `description` and `inputSchema`; `run` and its results stay on premises.
 */
export interface Tool<Input = any, Output = unknown> {
  readonly name: string;
  readonly description: string;
  /** JSON Schema handed to the planner and used to validate plans. */
  readonly inputSchema: JSONSchema7;
  /** Validates (and may normalise, e.g. defaults) the arguments. Empty issues means valid. */
  validate(input: unknown): { value: Input; issues: SchemaIssue[] };
  run(input: Input, context: ToolRunContext): Promise<Output>;
  /**
   * A per-call timeout of the tool's own. It can only shorten the agent's step timeout
   * (`limits.stepTimeoutMs`), which every tool obeys.
   */
  readonly timeoutMs?: number;
  /** Name of the source the tool came from (`sql:crm`, `mcp:files`), for traces. */
  readonly source?: string;
  /**
   * True when a call changes something (writes, sends, books). Read-only steps may start while
   * the planner is still writing the plan; a step with side effects waits until the whole plan
   * has been validated. Default false.
   */
  readonly sideEffects?: boolean;
}

/** What the planner is shown of a tool: never anything else. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: JSONSchema7;
}

export function toolSpec(tool: Tool): ToolSpec {
  return { name: tool.name, description: tool.description, inputSchema: tool.inputSchema };
}
