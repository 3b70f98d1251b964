import type { RunTrace } from "./trace.js";

/** What a surface knows about a run besides its trace: who ran it, with which agent, how it ended. */
export interface RunTelemetryInfo {
  /** The agent (the model name a gateway client sends; the CLI's agent). */
  agent: string;
  /** The error code when the run failed (never its message: it may quote input). */
  errorCode?: string;
}

/**
 * Where finished runs are reported as spans (OpenTelemetry, src/telemetry). Surfaces call
 * `record` once per run, after it ended (successful or not), and `shutdown` when they stop.
 */
export interface RunTelemetry {
  record(trace: RunTrace, info: RunTelemetryInfo): void;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}
