import { generateText, jsonSchema, type LanguageModel, NoObjectGeneratedError, Output } from "ai";
import type { StepOutcome } from "../core/step-outcome.js";
import type { TokenUsage } from "../core/trace.js";
import { renderStep, stepHeader } from "./layout.js";
import type { TokenCounter } from "./token-counter.js";

export interface ExtractedFact {
  step: string;
  fact: string;
}

export interface MapReduceOptions {
  model: LanguageModel;
  question: string;
  /** Results that did not fit the context as they are. */
  outcomes: StepOutcome[];
  /** Tokens of result text per chunk (what fits the window beside the extraction prompt). */
  chunkTokens: number;
  counter: TokenCounter;
  signal: AbortSignal;
  /** Chunks processed at once: 1 for a single in-process context, more for servers. */
  parallel?: number;
  maxOutputTokens?: number;
  onChunk?: (info: { index: number; total: number; steps: string[]; facts: number }) => void;
}

export interface MapReduceResult {
  facts: ExtractedFact[];
  chunks: number;
  /** Chunks whose extraction failed; named in the context so the answer knows. */
  failedChunks: number[];
  usage: TokenUsage;
}

interface Chunk {
  steps: string[];
  text: string;
}

const SYSTEM = `You read part of the results of database and tool lookups and extract every fact that helps answer the question.
Reply with JSON: {"facts": [{"step": "<id of the lookup the fact came from, like s1>", "fact": "<one fact, names and numbers copied exactly>"}]}.
If nothing in this part is relevant, reply {"facts": []}.`;

/**
 * When results do not fit the local model's window: split them into chunks that fit, let the
 * local model extract the relevant facts from each (keeping which step each came from), and
 * answer over the facts. Every chunk is visited; none is silently skipped.
 */
export async function mapReduceResults(options: MapReduceOptions): Promise<MapReduceResult> {
  const chunks = chunkOutcomes(options.outcomes, options.chunkTokens, options.counter);
  const stepIds = [...new Set(options.outcomes.map((o) => o.step.id))];
  const schema = jsonSchema<{ facts: ExtractedFact[] }>({
    type: "object",
    properties: {
      facts: {
        type: "array",
        items: {
          type: "object",
          properties: { step: { type: "string", enum: stepIds }, fact: { type: "string" } },
          required: ["step", "fact"],
          additionalProperties: false,
        },
      },
    },
    required: ["facts"],
    additionalProperties: false,
  });
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  const results: ExtractedFact[][] = new Array(chunks.length);
  const failedChunks: number[] = [];
  let next = 0;
  // The first hard failure stops the other workers too: no more calls to a model that is down.
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);

  const worker = async () => {
    while (next < chunks.length && !signal.aborted) {
      const index = next++;
      const chunk = chunks[index];
      let facts: ExtractedFact[] = [];
      try {
        const result = await generateText({
          model: options.model,
          system: SYSTEM,
          prompt: `Question: ${options.question}\n\nLookup results (part ${index + 1} of ${chunks.length}):\n${chunk.text}`,
          output: Output.object({ schema }),
          abortSignal: signal,
          maxRetries: 0,
          temperature: 0,
          maxOutputTokens: options.maxOutputTokens ?? 512,
        });
        usage.inputTokens += result.usage.inputTokens ?? 0;
        usage.outputTokens += result.usage.outputTokens ?? 0;
        facts = result.output.facts;
      } catch (error) {
        if (options.signal.aborted) throw error;
        if (!NoObjectGeneratedError.isInstance(error)) {
          stop.abort(error);
          throw error;
        }
        usage.inputTokens += error.usage?.inputTokens ?? 0;
        usage.outputTokens += error.usage?.outputTokens ?? 0;
        failedChunks.push(index);
      }
      // A fact attributed to a step outside this chunk would break citations: pin it to the chunk.
      results[index] = facts
        .filter((f) => typeof f.fact === "string" && f.fact.trim())
        .map((f) => ({ step: chunk.steps.includes(f.step) ? f.step : chunk.steps[0], fact: f.fact.trim() }));
      options.onChunk?.({ index, total: chunks.length, steps: chunk.steps, facts: results[index].length });
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.parallel ?? 1, chunks.length)) }, worker),
  );
  return {
    facts: results.flat(),
    chunks: chunks.length,
    failedChunks: failedChunks.sort((a, b) => a - b),
    usage,
  };
}

/** Splits rendered results into chunks of at most `chunkTokens`, repeating the step header in each. */
export function chunkOutcomes(outcomes: StepOutcome[], chunkTokens: number, counter: TokenCounter): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk = { steps: [], text: "" };
  let used = 0;
  const flush = () => {
    if (current.text) chunks.push(current);
    current = { steps: [], text: "" };
    used = 0;
  };
  for (const outcome of outcomes) {
    const [, ...body] = renderStep(outcome).split("\n");
    const header = stepHeader(outcome);
    const headerCost = counter.count(header) + 1;
    let headerWritten = false;
    for (const rawLine of body) {
      let line = rawLine;
      let cost = counter.count(line) + 1;
      if (headerCost + cost > chunkTokens) {
        // A single line larger than a chunk: cut it, visibly.
        const keep = Math.max(20, Math.floor((line.length * (chunkTokens - headerCost - 20)) / cost));
        line = `${line.slice(0, keep)}… [line cut: it alone exceeds the local model's window]`;
        cost = counter.count(line) + 1;
      }
      if (used + cost + (headerWritten ? 0 : headerCost) > chunkTokens) {
        flush();
        headerWritten = false;
      }
      if (!headerWritten) {
        current.text += `${current.text ? "\n" : ""}${header}\n`;
        if (!current.steps.includes(outcome.step.id)) current.steps.push(outcome.step.id);
        used += headerCost;
        headerWritten = true;
      }
      current.text += `${line}\n`;
      used += cost;
    }
  }
  flush();
  return chunks;
}

/** The facts as context lines, grouped by step so citations stay with their source. */
export function renderFacts(facts: ExtractedFact[], failedChunks: number[]): string {
  const lines = facts.map((f) => `[${f.step}] ${f.fact}`);
  if (failedChunks.length)
    lines.push(
      `(Parts ${failedChunks.map((i) => i + 1).join(", ")} of the large results could not be read.)`,
    );
  return lines.length ? lines.join("\n") : "(No relevant facts were found in the large results.)";
}
