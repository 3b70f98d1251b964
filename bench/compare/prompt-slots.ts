/**
 * The prompt cache of a llama.cpp server (`llama-server --parallel N`), as the scripted local
 * model uses it: N slots, each holding the tokens of its last request (prompt and generated
 * text). A request takes an idle slot (the one whose cache shares the longest prefix with its
 * prompt, if that prefix is over `similarity` of the prompt; else the least recently used one)
 * and is charged prefill only for the tokens past that common prefix. With every slot busy it
 * waits. llama.cpp's host-memory prompt cache (`--cache-ram`) is not modelled: evicted prompts
 * are lost, which can only make cached reuse look worse than it is.
 */
import { approximateTokenCounter } from "../../src/context/token-counter.js";

export interface SlotGrant {
  slot: number;
  promptTokens: number;
  /** Prompt tokens already in the slot's cache: no prefill for them. */
  cachedTokens: number;
  /** Milliseconds the request waited for a free slot. */
  waitedMs: number;
  /** Frees the slot; its cache now holds the prompt and what was generated. */
  release(generated: string): void;
}

interface Slot {
  id: number;
  cached: string;
  busy: boolean;
  lastUsed: number;
}

interface Waiter {
  prompt: string;
  options: AcquireOptions;
  since: number;
  resolve(grant: SlotGrant): void;
}

export interface AcquireOptions {
  /** `cache_prompt: false`: evaluate the whole prompt. */
  reuse?: boolean;
  /** `id_slot`: this slot, waiting for it if busy. */
  slot?: number;
}

const tokens = (text: string) => approximateTokenCounter.count(text);

export class PromptSlots {
  private readonly slots: Slot[];
  private readonly waiters: Waiter[] = [];
  private clock = 0;

  /** `similarity`: llama.cpp's `--slot-prompt-similarity` (default 0.1). */
  constructor(
    count: number,
    private readonly similarity = 0.1,
  ) {
    this.slots = Array.from({ length: Math.max(1, count) }, (_, id) => ({
      id,
      cached: "",
      busy: false,
      lastUsed: -1,
    }));
  }

  get size(): number {
    return this.slots.length;
  }

  acquire(prompt: string, options: AcquireOptions = {}): Promise<SlotGrant> {
    return new Promise((resolve) => {
      this.waiters.push({ prompt, options, since: performance.now(), resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (let i = 0; i < this.waiters.length; ) {
      const waiter = this.waiters[i];
      const slot = this.pick(waiter);
      if (!slot) {
        // First come, first served: a waiter never overtakes an earlier one for "any slot".
        if (waiter.options.slot === undefined) return;
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      waiter.resolve(this.grant(slot, waiter));
    }
  }

  private pick(waiter: Waiter): Slot | undefined {
    if (waiter.options.slot !== undefined) {
      const pinned = this.slots[waiter.options.slot % this.slots.length];
      return pinned.busy ? undefined : pinned;
    }
    const idle = this.slots.filter((s) => !s.busy);
    if (idle.length === 0) return undefined;
    const promptTokens = Math.max(1, tokens(waiter.prompt));
    let best: Slot | undefined;
    let bestSim = 0;
    for (const slot of idle) {
      if (!slot.cached) continue;
      const sim = tokens(waiter.prompt.slice(0, commonPrefix(slot.cached, waiter.prompt))) / promptTokens;
      if (sim > bestSim && sim > this.similarity) {
        best = slot;
        bestSim = sim;
      }
    }
    return best ?? idle.reduce((a, b) => (b.lastUsed < a.lastUsed ? b : a));
  }

  private grant(slot: Slot, waiter: Waiter): SlotGrant {
    slot.busy = true;
    const { prompt } = waiter;
    const reuse = waiter.options.reuse !== false;
    const shared = reuse ? commonPrefix(slot.cached, prompt) : 0;
    const promptTokens = tokens(prompt);
    // llama.cpp always evaluates at least the last prompt token to sample from it.
    const cachedTokens = Math.min(tokens(prompt.slice(0, shared)), Math.max(0, promptTokens - 1));
    let released = false;
    return {
      slot: slot.id,
      promptTokens,
      cachedTokens,
      waitedMs: performance.now() - waiter.since,
      release: (generated) => {
        if (released) return;
        released = true;
        slot.cached = prompt + generated;
        slot.busy = false;
        slot.lastUsed = ++this.clock;
        this.dispatch();
      },
    };
  }
}

/** Length of the longest common prefix of two strings. */
export function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** A chat request rendered the way a chat template lays it out (role markers, then content). */
export function renderChatPrompt(messages: Array<{ role: string; content: string }>): string {
  return `${messages.map((m) => `<|${m.role}|>\n${m.content}<|end|>\n`).join("")}<|assistant|>\n`;
}
