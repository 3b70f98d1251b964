import type { ChatTurn } from "./chat-turn.js";

/** How much of a conversation's earlier turns a run takes along (the rest is dropped, oldest first). */
export interface HistoryLimits {
  /** Most earlier turns kept. */
  maxTurns: number;
  /** Most characters of earlier turns kept, in all. */
  maxChars: number;
  /** A longer turn is cut to this many characters (ending in `…`). */
  maxTurnChars: number;
}

export interface HistoryWindow<T> {
  /** The turns kept, oldest first. */
  turns: T[];
  /** Earlier turns left out (too many, or over the character budget). */
  dropped: number;
  /** Kept turns that were cut to `maxTurnChars`. */
  clipped: number;
}

/**
 * The most recent turns that fit the limits, oldest first. Work is proportional to the turns
 * kept, never to the length of the conversation: a 9,000-turn history costs what 40 turns do.
 */
export function recentTurns<T extends ChatTurn>(
  history: readonly T[],
  limits: HistoryLimits,
  keep: (turn: T) => boolean = () => true,
): HistoryWindow<T> {
  const kept: T[] = [];
  let chars = 0;
  let clipped = 0;
  let i = history.length - 1;
  for (; i >= 0 && kept.length < limits.maxTurns; i--) {
    const turn = history[i];
    if (!keep(turn)) continue;
    const cut = turn.content.length > limits.maxTurnChars;
    const content = cut ? `${turn.content.slice(0, limits.maxTurnChars - 1)}…` : turn.content;
    if (chars + content.length > limits.maxChars) break;
    chars += content.length;
    if (cut) clipped++;
    kept.push(cut ? { ...turn, content } : turn);
  }
  let dropped = 0;
  for (; i >= 0; i--) if (keep(history[i])) dropped++;
  return { turns: kept.reverse(), dropped, clipped };
}
