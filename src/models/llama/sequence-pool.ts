/**
 * A context with N sequences, each with its own LlamaChat. A request borrows one sequence for its
 * whole generation, so two generations never interleave in one sequence; extra requests wait FIFO.
 */
import type { LlamaChat, LlamaContext } from "node-llama-cpp";

interface Waiter {
  resolve(chat: LlamaChat): void;
  reject(error: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class SequencePool {
  private readonly free: LlamaChat[] = [];
  private readonly waiters: Waiter[] = [];

  /** `Chat` is node-llama-cpp's LlamaChat class, passed in so the bindings load lazily. */
  constructor(
    readonly context: LlamaContext,
    Chat: typeof LlamaChat,
  ) {
    for (let i = 0; i < context.totalSequences; i++) {
      this.free.push(new Chat({ contextSequence: context.getSequence(), autoDisposeSequence: true }));
    }
  }

  get size(): number {
    return this.context.totalSequences;
  }

  acquire(signal?: AbortSignal): Promise<LlamaChat> {
    signal?.throwIfAborted();
    const chat = this.free.pop();
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

  release(chat: LlamaChat): void {
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
}
