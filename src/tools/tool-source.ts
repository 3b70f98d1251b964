import type { Tool } from "./tool.js";

/** A value a source knows to be sensitive (from a column/field marked sensitive in config). */
export interface SensitiveValue {
  /** Entity type used for placeholders, e.g. `PERSON`, `EMAIL`, or the column name upper-cased. */
  type: string;
  value: string;
  /** Where it came from, e.g. `crm.customers.email` (for audit; never the value). */
  origin: string;
}

/**
 * Sensitive values added or changed since a mark (see `ToolSource.sensitiveChanges`). Iterate it
 * once; afterwards `mark` is where the next read starts (undefined: read everything next time) and
 * `full` tells whether this was a full read.
 */
export interface SensitiveChanges extends AsyncIterable<SensitiveValue> {
  readonly mark: string | undefined;
  readonly full: boolean;
}

/** Where a `SensitiveChanges` read ended: the generator sets it as it goes. */
export interface SensitiveChangesState {
  mark: string | undefined;
  full: boolean;
}

/**
 * A `SensitiveChanges` over one read: `read` yields the values and records in `state` where the
 * next read starts and whether this one was full (until it does: no mark, full).
 */
export function sensitiveChangesOf(
  read: (state: SensitiveChangesState) => AsyncGenerator<SensitiveValue>,
): SensitiveChanges {
  const state: SensitiveChangesState = { mark: undefined, full: true };
  const values = read(state);
  return {
    [Symbol.asyncIterator]: () => values,
    get mark() {
      return state.mark;
    },
    get full() {
      return state.full;
    },
  };
}

/**
 * Anything that turns into tools: a SQL database, a MongoDB, an MCP server, an OpenAPI service,
 * a document index. Sources are opened lazily and closed once on shutdown.
 */
export interface ToolSource {
  readonly name: string;
  /** Connects if needed and returns the tools this source offers. */
  tools(): Promise<Tool[]>;
  /** Values of columns/fields marked sensitive, for the privacy firewall's index. */
  sensitiveValues?(): AsyncIterable<SensitiveValue>;
  /**
   * Incremental `sensitiveValues`: what was added or changed since `since` (a mark from an earlier
   * call), everything without one. For keeping the index live without reading it all each time.
   */
  sensitiveChanges?(since?: string): SensitiveChanges;
  /** Reports whether the source is reachable and usable (`flm tools check`). */
  check?(): Promise<{ ok: boolean; detail: string }>;
  close(): Promise<void>;
}

export function isToolSource(value: unknown): value is ToolSource {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ToolSource).tools === "function" &&
    typeof (value as ToolSource).close === "function"
  );
}
