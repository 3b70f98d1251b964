import type { StepOutcome } from "../core/step-outcome.js";
import { renderStep, stepHeader } from "./layout.js";
import type { TokenCounter } from "./token-counter.js";

export interface ContextBudget {
  /** The generator's context window in tokens. */
  contextWindow: number;
  /** Tokens kept free for the answer. */
  answerReserve: number;
  /** Tokens already taken by instructions, history and the question. */
  fixedTokens: number;
}

export interface BuiltContext {
  text: string;
  tokens: number;
  budget: number;
  includedSteps: string[];
  /** Steps whose result (or part of it) did not fit. Each is marked in `text` too. */
  droppedSteps: string[];
  /** Sections that did not fit at all, for map-reduce to process separately. */
  overflow: StepOutcome[];
}

/**
 * Lays the step results out within the token budget, in plan order. A section that does not
 * fit is shortened line by line (tables keep their header and first rows); what is still left
 * out is named in the context, so the answer can say so. Nothing is dropped silently.
 */
export function buildContext(
  outcomes: StepOutcome[],
  budget: ContextBudget,
  counter: TokenCounter,
): BuiltContext {
  const available = Math.max(0, budget.contextWindow - budget.answerReserve - budget.fixedTokens);
  const sections: string[] = [];
  const includedSteps: string[] = [];
  const droppedSteps: string[] = [];
  const overflow: StepOutcome[] = [];
  let used = 0;

  // Failure notes are small and the answer must know about them: reserve room for them first.
  const notes = outcomes.filter((o) => o.status !== "ok").map(renderStep);
  const noteTokens = notes.reduce((n, s) => n + counter.count(s) + 1, 0);

  for (const outcome of outcomes) {
    if (outcome.status !== "ok") continue;
    const section = renderStep(outcome);
    const cost = counter.count(section) + 1;
    const room = available - noteTokens - used;
    if (cost <= room) {
      sections.push(section);
      includedSteps.push(outcome.step.id);
      used += cost;
      continue;
    }
    const shortened = shorten(section, room, counter);
    if (shortened) {
      sections.push(shortened.text);
      includedSteps.push(outcome.step.id);
      droppedSteps.push(outcome.step.id);
      used += shortened.tokens;
    } else {
      const marker = `${stepHeader(outcome)}\nRESULT NOT SHOWN: it did not fit the local model's context (${cost} tokens).`;
      const markerCost = counter.count(marker) + 1;
      if (markerCost <= room) {
        sections.push(marker);
        used += markerCost;
      }
      droppedSteps.push(outcome.step.id);
    }
    overflow.push(outcome);
  }
  sections.push(...notes);
  used += noteTokens;
  return {
    text: sections.join("\n\n"),
    tokens: used,
    budget: available,
    includedSteps,
    droppedSteps,
    overflow,
  };
}

/** Keeps whole lines from the top while they fit, then says how many lines were left out. */
function shorten(
  section: string,
  room: number,
  counter: TokenCounter,
): { text: string; tokens: number } | undefined {
  const lines = section.split("\n");
  // Header plus at least one data line, or it is not worth showing.
  if (lines.length < 3) return undefined;
  const marker = (n: number) => `… ${n} more lines not shown: they did not fit the local model's context.`;
  const { kept, used } = leadingLinesWithin(lines, room, counter, counter.count(marker(lines.length)) + 1);
  if (kept < 3) return undefined;
  return { text: `${lines.slice(0, kept).join("\n")}\n${marker(lines.length - kept)}`, tokens: used };
}

/** How many leading lines fit in `room` tokens after `reserved` ones (for a marker), and the tokens used. */
export function leadingLinesWithin(
  lines: string[],
  room: number,
  counter: TokenCounter,
  reserved: number,
): { kept: number; used: number } {
  let used = reserved;
  let kept = 0;
  for (const line of lines) {
    const cost = counter.count(line) + 1;
    if (used + cost > room) break;
    used += cost;
    kept++;
  }
  return { kept, used };
}
