import type { VaultEntry } from "../placeholder-vault.js";

/**
 * Where a conversation's placeholders live between its requests (issue 17): a conversation whose
 * turns land on different gateway replicas keeps `<PERSON_1>` meaning the same person. An
 * in-memory store for one process, PostgreSQL for replicas; one contract
 * (`test/contracts/conversation-vault-store-contract.ts`).
 *
 * The store holds real values next to their placeholders: it is as sensitive as the data sources
 * and must stay in the building, like the audit log.
 */
export interface ConversationVaultStore {
  /**
   * The conversation's placeholders in the order they were issued (empty when unknown or expired),
   * and its expiry pushed to at least `expiresAt`: a conversation in use does not expire.
   */
  load(conversation: string, expiresAt: number): Promise<VaultEntry[]>;
  /**
   * Records placeholders issued by a turn. A placeholder already recorded (another replica issued
   * it first, for the same or another value) is kept as it was: the first writer wins.
   */
  save(conversation: string, entries: readonly VaultEntry[], expiresAt: number): Promise<void>;
  /** Deletes expired conversations; returns how many placeholders went. */
  prune(now?: number): Promise<number>;
  /** Deletes one conversation's placeholders. */
  forget(conversation: string): Promise<void>;
  close(): Promise<void>;
}

/** How long a conversation's placeholders are kept after its last turn. Default 24 h. */
export const DEFAULT_CONVERSATION_TTL_MS = 24 * 3_600_000;
