import type { RunTelemetry, RunTelemetryInfo } from "../core/run-telemetry.js";
import type { RunTrace } from "../core/trace.js";
import { emitRunSpans, type ModelName, type RecordContent } from "./run-spans.js";

export interface TelemetryOptions {
  /**
   * OTLP/HTTP endpoint of a collector: its base (`http://otel-collector:4318`, `/v1/traces` is
   * appended) or the full traces URL. Without it no SDK is loaded and nothing is exported.
   */
  otlpEndpoint?: string;
  /** Extra headers for the exporter (e.g. an API key of a hosted backend). */
  headers?: Record<string, string>;
  /** `service.name` of the resource (default `flm`). */
  serviceName?: string;
  recordContent?: RecordContent;
  /** The generator of each agent, for the answer span's `gen_ai.request.model`. */
  generators?: Record<string, ModelName | undefined>;
  /** Export each span as soon as it ends instead of in batches (tests, short CLI runs). */
  simpleProcessor?: boolean;
}

/** The OTLP traces URL for an endpoint option. */
export function tracesUrl(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, "");
  return trimmed.endsWith("/v1/traces") ? trimmed : `${trimmed}/v1/traces`;
}

const VERSION = "0.1.0";

/**
 * Opens OpenTelemetry tracing for runs when `otlpEndpoint` is set (undefined otherwise: the SDK
 * and exporter are only imported then). Spans go over OTLP/HTTP (JSON) from a tracer provider of
 * our own, never registered globally, so an application's own OpenTelemetry setup is untouched.
 */
export async function openTelemetry(options: TelemetryOptions): Promise<RunTelemetry | undefined> {
  if (!options.otlpEndpoint) return undefined;
  const [
    { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes },
  ] = await Promise.all([
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const exporter = new OTLPTraceExporter({ url: tracesUrl(options.otlpEndpoint), headers: options.headers });
  const processor = options.simpleProcessor
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(exporter);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": options.serviceName ?? "flm",
      "service.version": VERSION,
      "telemetry.sdk.language": "nodejs",
    }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer("federated-lm", VERSION);
  return {
    record(trace: RunTrace, info: RunTelemetryInfo) {
      emitRunSpans(tracer, trace, info, {
        recordContent: options.recordContent,
        generators: options.generators,
      });
    },
    async shutdown() {
      await provider.forceFlush().catch(() => {});
      await provider.shutdown().catch(() => {});
    },
  };
}
