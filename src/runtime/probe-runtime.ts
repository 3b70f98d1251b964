import { generateText, type LanguageModel } from "ai";
import type { ReadinessCheck, ReadinessReport } from "../core/readiness.js";
import { FlmError } from "../errors/flm-error.js";
import type { ToolSource } from "../tools/tool-source.js";

/** A model the runtime runs locally (a generator, a local planner), to be probed. */
export interface ProbedModel {
  /** `generator:ollama/llama3.2`, `planner:local/…` */
  name: string;
  model: LanguageModel;
}

export interface ProbeOptions {
  /** Each check gives up after this long (default 10 s). */
  timeoutMs?: number;
}

/**
 * Whether the runtime can serve: every local model answers a one-token request, and every source
 * opens (its `check()`, else listing its tools). All checks run at once, each with a timeout. The
 * cloud planner is not probed: it is shared by every replica and outside this machine, so its
 * outage must not take every replica out of a load balancer (the local fallback planner may serve).
 */
export async function probeRuntime(
  parts: { models: ProbedModel[]; sources: ToolSource[] },
  options: ProbeOptions = {},
): Promise<ReadinessReport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const checks = await Promise.all([
    ...parts.models.map((m) =>
      timedCheck(m.name, "model", timeoutMs, async (signal) => {
        await generateText({
          model: m.model,
          prompt: "Reply with OK.",
          maxOutputTokens: 1,
          maxRetries: 0,
          abortSignal: signal,
        });
      }),
    ),
    ...parts.sources.map((s) =>
      timedCheck(`source:${s.name}`, "source", timeoutMs, async () => {
        if (!s.check) return void (await s.tools());
        const result = await s.check();
        if (!result.ok) throw Object.assign(new Error(result.detail), { code: "SOURCE_UNAVAILABLE" });
      }),
    ),
  ]);
  return { ready: checks.every((c) => c.ok), checks };
}

async function timedCheck(
  name: string,
  kind: ReadinessCheck["kind"],
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<void>,
): Promise<ReadinessCheck> {
  const t0 = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "CHECK_TIMEOUT" }));
    }, timeoutMs);
  });
  try {
    await Promise.race([run(controller.signal), deadline]);
    return { name, kind, ok: true, ms: round(performance.now() - t0) };
  } catch (error) {
    const code = FlmError.isInstance(error)
      ? error.code
      : typeof (error as { code?: unknown })?.code === "string"
        ? String((error as { code: string }).code)
        : kind === "model"
          ? "MODEL_UNAVAILABLE"
          : "SOURCE_UNAVAILABLE";
    const detail = (error as Error)?.message ?? String(error);
    return { name, kind, ok: false, ms: round(performance.now() - t0), code, detail };
  } finally {
    clearTimeout(timer);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
