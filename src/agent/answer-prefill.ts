import type { LanguageModel } from "ai";
import type { ChatTurn } from "../core/chat-turn.js";
import { canPrefill } from "../core/prefill-capable.js";
import { answerMessages, answerPrefix, answerSystemPrompt } from "./answer-prompt.js";
import { toAnswerPrompt } from "./stream-answer.js";

export interface AnswerPrefill {
  /**
   * The results shown so far grew: read the prompt up to them (on the next turn of the event
   * loop, unless `finish()` came first).
   */
  update(resultsText: string): void;
  /**
   * All results are in: reads not yet sent are dropped. The answer request follows at once and
   * reads that tail itself; a read of it now would only put one more request, and one decoded
   * token, in front of the answer.
   */
  finish(): void;
  /** Waits (at most `ms`) for a read in flight, so the answer request finds the prompt read. */
  settle(ms: number): Promise<void>;
  /** Reads sent, and those that failed (a failed read costs time, never correctness). */
  readonly stats: { reads: number; failed: number };
}

/**
 * Prefill while waiting, for one run: the local model reads the fixed part of the answer prompt
 * (instructions, history, question) at once, while the cloud plans, then the prompt up to each
 * result as results arrive. One read at a time; a newer prefix waits for the one in flight and
 * replaces any older one waiting. Only the local model is asked: this never goes to the cloud.
 * Undefined when the model cannot read ahead.
 */
export function startAnswerPrefill(
  model: LanguageModel,
  base: { prompt: string; history: ChatTurn[] },
  signal: AbortSignal,
): AnswerPrefill | undefined {
  if (!canPrefill(model)) return undefined;
  const stats = { reads: 0, failed: 0 };
  let sent: string | undefined;
  let waiting: string | undefined;
  let inFlight: Promise<void> | undefined;
  let finished = false;
  const read = (resultsText: string) => {
    sent = resultsText;
    stats.reads++;
    const prompt = toAnswerPrompt(answerSystemPrompt(), [
      ...answerMessages(base.prompt, "", base.history).slice(0, -1),
      { role: "user", content: answerPrefix(base.prompt, resultsText) },
    ]);
    inFlight = model
      .prefill(prompt, { signal })
      .then(
        () => {},
        () => {
          stats.failed++;
        },
      )
      .finally(() => {
        inFlight = undefined;
        const next = waiting;
        waiting = undefined;
        if (next !== undefined && next !== sent && !signal.aborted && !finished) read(next);
      });
  };
  read("");
  return {
    stats,
    update(resultsText) {
      // Deferred a turn: when this was the last result, finish() (called as soon as execution
      // returns, within the same turn) cancels the read.
      setImmediate(() => {
        if (finished || signal.aborted || resultsText === sent) return;
        if (inFlight) waiting = resultsText;
        else read(resultsText);
      });
    },
    finish() {
      finished = true;
      waiting = undefined;
    },
    async settle(ms) {
      finished = true;
      waiting = undefined;
      if (!inFlight) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([inFlight, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
      clearTimeout(timer);
    },
  };
}
