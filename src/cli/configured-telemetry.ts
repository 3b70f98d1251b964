import { basename } from "node:path";
import type { FlmConfig } from "../config/load-config.js";
import type { ModelConfig } from "../config/config-schema.js";
import type { RunTelemetry } from "../core/run-telemetry.js";
import type { RunTrace } from "../core/trace.js";
import { parseModelSpec } from "../models/resolve-model.js";
import { openTelemetry } from "../telemetry/open-telemetry.js";
import type { ModelName } from "../telemetry/run-spans.js";

/** A configured generator as the GenAI conventions name it (provider + model), never its key or URL. */
export function generatorName(model: ModelConfig | undefined): ModelName | undefined {
  if (!model) return undefined;
  if (typeof model === "object")
    return { provider: model.provider ?? "openai-compatible", model: model.model ?? "unknown" };
  if (/\.gguf$/i.test(model)) return { provider: "llama.cpp", model: basename(model) };
  try {
    const spec = parseModelSpec(model);
    return { provider: spec.provider, model: spec.model };
  } catch {
    return undefined;
  }
}

/** The telemetry `config.telemetry` asks for (undefined without an `otlpEndpoint`). */
export async function openConfiguredTelemetry(
  config: FlmConfig,
  options: { simpleProcessor?: boolean } = {},
): Promise<RunTelemetry | undefined> {
  const settings = config.telemetry;
  if (!settings?.otlpEndpoint) return undefined;
  const generators: Record<string, ModelName | undefined> = {
    [config.name ?? "flm"]: generatorName(config.generator),
  };
  for (const [name, agent] of Object.entries(config.agents ?? {}))
    generators[name] = generatorName(agent.generator ?? config.generator);
  return openTelemetry({
    otlpEndpoint: settings.otlpEndpoint,
    headers: settings.headers,
    serviceName: settings.serviceName,
    recordContent: settings.recordContent,
    generators,
    simpleProcessor: options.simpleProcessor,
  });
}

/** For one CLI command (ask, chat): its runs as spans when `telemetry` is configured, else nothing. */
export async function cliTelemetry(config: FlmConfig, agent: string | undefined) {
  const telemetry = await openConfiguredTelemetry(config);
  const name = agent ?? config.name ?? "flm";
  return {
    record: (trace: RunTrace) => telemetry?.record(trace, { agent: name }),
    shutdown: async () => telemetry?.shutdown(),
  };
}
