import type { VaultEntry } from "../placeholder-vault.js";
import type { ConversationVaultStore } from "./conversation-vault-store.js";

export interface MemoryConversationVaultStoreOptions {
  /** Most conversations kept; the least recently used go first. Default 10,000. */
  maxConversations?: number;
  /** Most placeholders kept per conversation (later ones are not recorded). Default 10,000. */
  maxEntriesPerConversation?: number;
}

interface Conversation {
  entries: Map<string, VaultEntry>;
  expiresAt: number;
}

/** One process's conversations, bounded and expiring. */
export class MemoryConversationVaultStore implements ConversationVaultStore {
  private readonly conversations = new Map<string, Conversation>();
  private readonly maxConversations: number;
  private readonly maxEntries: number;
  private closed = false;

  constructor(options: MemoryConversationVaultStoreOptions = {}) {
    this.maxConversations = options.maxConversations ?? 10_000;
    this.maxEntries = options.maxEntriesPerConversation ?? 10_000;
  }

  async load(conversation: string, expiresAt: number): Promise<VaultEntry[]> {
    this.open();
    const c = this.live(conversation);
    if (!c) return [];
    this.conversations.delete(conversation); // re-inserted: most recently used last
    this.conversations.set(conversation, c);
    c.expiresAt = Math.max(c.expiresAt, expiresAt);
    return [...c.entries.values()].map((e) => ({ ...e }));
  }

  async save(conversation: string, entries: readonly VaultEntry[], expiresAt: number): Promise<void> {
    this.open();
    let c = this.live(conversation);
    this.conversations.delete(conversation);
    c ??= { entries: new Map(), expiresAt };
    c.expiresAt = Math.max(c.expiresAt, expiresAt);
    this.conversations.set(conversation, c);
    for (const e of entries) {
      if (c.entries.size >= this.maxEntries) break;
      if (!c.entries.has(e.placeholder)) c.entries.set(e.placeholder, { ...e });
    }
    while (this.conversations.size > this.maxConversations)
      this.conversations.delete(this.conversations.keys().next().value as string);
  }

  async prune(now = Date.now()): Promise<number> {
    this.open();
    let removed = 0;
    for (const [id, c] of this.conversations)
      if (c.expiresAt <= now) {
        removed += c.entries.size;
        this.conversations.delete(id);
      }
    return removed;
  }

  async forget(conversation: string): Promise<void> {
    this.open();
    this.conversations.delete(conversation);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.conversations.clear();
  }

  private live(conversation: string): Conversation | undefined {
    const c = this.conversations.get(conversation);
    if (c && c.expiresAt <= Date.now()) {
      this.conversations.delete(conversation);
      return undefined;
    }
    return c;
  }

  private open(): void {
    if (this.closed) throw new Error("the conversation store is closed");
  }
}
