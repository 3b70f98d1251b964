/**
 * A cloud provider's automatic prompt cache, as OpenAI documents it: a request whose prompt
 * shares a prefix of at least 1,024 tokens with an earlier one reads that prefix from the cache,
 * in steps of 128 tokens. The scripted cloud reports it as `prompt_tokens_details.cached_tokens`
 * (what flm's trace shows) and the bench counts it; it does not make the cloud answer sooner,
 * so no design gains time from it here.
 */
import { approximateTokenCounter } from "../../src/context/token-counter.js";
import { commonPrefix } from "./prompt-slots.js";

export const MIN_CACHED_PREFIX = 1024;
export const CACHE_STEP = 128;
const KEEP = 256;

export class ProviderPromptCache {
  private readonly seen: string[] = [];

  /** Cached tokens for this prompt; the prompt is then remembered for later requests. */
  read(prompt: string): number {
    let longest = 0;
    for (const earlier of this.seen) longest = Math.max(longest, commonPrefix(earlier, prompt));
    this.seen.push(prompt);
    if (this.seen.length > KEEP) this.seen.shift();
    const shared = approximateTokenCounter.count(prompt.slice(0, longest));
    if (shared < MIN_CACHED_PREFIX) return 0;
    return MIN_CACHED_PREFIX + Math.floor((shared - MIN_CACHED_PREFIX) / CACHE_STEP) * CACHE_STEP;
  }
}

/** What a chat-completions request puts in front of the model, tools first, as one string. */
export function promptOf(body: { tools?: unknown; messages?: unknown[] }): string {
  return [
    body.tools ? JSON.stringify(body.tools) : "",
    ...(body.messages ?? []).map((m) => JSON.stringify(m)),
  ].join("\n");
}
