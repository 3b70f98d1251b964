/**
 * A context with N sequences, each with its own LlamaChat. A request borrows one sequence for its
 * whole generation, so two generations never interleave in one sequence; extra requests wait FIFO.
 *
 * A sequence keeps the tokens it last evaluated, and llama.cpp reuses the longest common prefix
 * of the next request on it. So a request goes to the free sequence its prompt fits best (`score`),
 * ties to the one used longest ago, which keeps recently read prompts (a prefill made while the
 * cloud plans) for the requests that continue them.
 */
import type { LlamaChat, LlamaContext } from "node-llama-cpp";

interface Waiter {
  resolve(chat: LlamaChat): void;
  reject(error: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** How well a request's prompt fits a sequence's held tokens; higher is better, 0 for an empty one. */
export type SequenceScore = (chat: LlamaChat) => number;

export class SequencePool {
  private readonly free: LlamaChat[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly lastUsed = new Map<LlamaChat, number>();
  private clock = 0;

  /** `Chat` is node-llama-cpp's LlamaChat class, passed in so the bindings load lazily. */
  constructor(
    readonly context: LlamaContext,
    Chat: typeof LlamaChat,
  ) {
    for (let i = 0; i < context.totalSequences; i++) {
      const chat = new Chat({ contextSequence: context.getSequence(), autoDisposeSequence: true });
      this.free.push(chat);
      this.lastUsed.set(chat, 0);
    }
  }

  get size(): number {
    return this.context.totalSequences;
  }

  /** Every chat, busy or free (for diagnostics such as token meters). */
  get chats(): LlamaChat[] {
    return [...this.lastUsed.keys()];
  }

  /** Any chat, for rendering prompts with the model's chat wrapper (never generate on it). */
  get anyChat(): LlamaChat | undefined {
    return this.lastUsed.keys().next().value;
  }

  acquire(signal?: AbortSignal, score?: SequenceScore): Promise<LlamaChat> {
    signal?.throwIfAborted();
    const chat = this.tryAcquire(score);
    if (chat) return Promise.resolve(chat);
    return new Promise<LlamaChat>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  /** A free chat now (the best-scoring, else the least recently used), or undefined when all are busy. */
  tryAcquire(score?: SequenceScore): LlamaChat | undefined {
    if (this.free.length === 0 || this.waiters.length > 0) return undefined;
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.free.length; i++) {
      const s = score ? score(this.free[i]) : 0;
      const older = s === bestScore && this.used(this.free[i]) < this.used(this.free[best]);
      if (s > bestScore || older) {
        best = i;
        bestScore = s;
      }
    }
    return this.free.splice(best, 1)[0];
  }

  release(chat: LlamaChat): void {
    this.lastUsed.set(chat, ++this.clock);
    const waiter = this.waiters.shift();
    if (waiter) {
      if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.resolve(chat);
    } else {
      this.free.push(chat);
    }
  }

  async dispose(): Promise<void> {
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error("model disposed"));
    await this.context.dispose();
  }

  private used(chat: LlamaChat): number {
    return this.lastUsed.get(chat) ?? 0;
  }
}
