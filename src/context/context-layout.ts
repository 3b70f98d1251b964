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

export interface ContextLayoutOptions {
  /**
   * A result that does not fit whole: `shorten` shows what fits (tables keep their header and
   * first rows) or a marker; `defer` leaves it out of the text, for map-reduce to extract facts
   * from. Either way it is in `overflow`, and nothing is dropped silently.
   */
  overflow: "shorten" | "defer";
  /** Tokens set aside up front for the notes of steps that did not succeed (when known). */
  reserveTokens?: number;
}

/**
 * The context, laid out one result at a time as the steps finish. Sections are only ever
 * appended, so the text so far (`resultsText`) stays a prefix of the final text: the local model
 * can read it while the other tools still run. Notes about steps that did not succeed come after
 * all results. Each section is labelled with its step id and call (`[s2] list_invoices(…)`), so
 * the order results arrive in does not change which step the answer cites.
 */
export class ContextLayout {
  readonly available: number;
  private readonly sections: string[] = [];
  private readonly notes: string[] = [];
  private sectionTokens = 0;
  private noteTokens = 0;
  readonly includedSteps: string[] = [];
  readonly droppedSteps: string[] = [];
  readonly overflow: StepOutcome[] = [];

  constructor(
    budget: ContextBudget,
    private readonly counter: TokenCounter,
    private readonly options: ContextLayoutOptions,
  ) {
    this.available = Math.max(0, budget.contextWindow - budget.answerReserve - budget.fixedTokens);
  }

  /** The results shown so far, in the order they were added. */
  get resultsText(): string {
    return this.sections.join("\n\n");
  }

  /** Lays out one outcome; true when the results text grew. */
  add(outcome: StepOutcome): boolean {
    if (outcome.status !== "ok") {
      const note = renderStep(outcome);
      this.notes.push(note);
      this.noteTokens += this.counter.count(note) + 1;
      return false;
    }
    const section = renderStep(outcome);
    const cost = this.counter.count(section) + 1;
    const room =
      this.available - Math.max(this.options.reserveTokens ?? 0, this.noteTokens) - this.sectionTokens;
    if (cost <= room) {
      this.push(section, cost);
      this.includedSteps.push(outcome.step.id);
      return true;
    }
    this.overflow.push(outcome);
    if (this.options.overflow === "defer") return false;
    const shortened = shorten(section, room, this.counter);
    this.droppedSteps.push(outcome.step.id);
    if (shortened) {
      this.push(shortened.text, shortened.tokens);
      this.includedSteps.push(outcome.step.id);
      return true;
    }
    const marker = `${stepHeader(outcome)}\nRESULT NOT SHOWN: it did not fit the local model's context (${cost} tokens).`;
    const markerCost = this.counter.count(marker) + 1;
    if (markerCost > room) return false;
    this.push(marker, markerCost);
    return true;
  }

  /** The layout with every outcome added: results, then the notes. */
  result(): BuiltContext {
    return {
      text: [...this.sections, ...this.notes].join("\n\n"),
      tokens: this.sectionTokens + this.noteTokens,
      budget: this.available,
      includedSteps: [...this.includedSteps],
      droppedSteps: [...this.droppedSteps],
      overflow: [...this.overflow],
    };
  }

  private push(text: string, tokens: number): void {
    this.sections.push(text);
    this.sectionTokens += tokens;
  }
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
