/**
 * Turns texts into vectors. Passages are sent to it, so it must run on premises: `local: true`
 * is a declaration the implementer makes, and the fetch-based clients enforce it by refusing
 * public hosts.
 */
export interface Embedder {
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
  /** Vector length when known up front; otherwise learnt from the first response. */
  readonly dimensions?: number;
  /** Identifies the model, e.g. `ollama:nomic-embed-text`; a change triggers re-embedding. */
  readonly id?: string;
  readonly local: true;
}
