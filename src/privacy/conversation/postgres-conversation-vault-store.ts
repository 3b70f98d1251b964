import type { Migration } from "../../postgres/migrate.js";
import { pgQuery } from "../../postgres/pg-pool.js";
import {
  openStateTable,
  PgStateStore,
  type PgStateStoreOptions,
  type PgStateTable,
} from "../../postgres/pg-state-store.js";
import type { VaultEntry } from "../placeholder-vault.js";
import type { ConversationVaultStore } from "./conversation-vault-store.js";

export type PostgresConversationVaultStoreOptions = PgStateStoreOptions;

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE IF NOT EXISTS {schema}.conversation_vault (
         conversation text NOT NULL,
         placeholder text NOT NULL,
         type text NOT NULL,
         value text NOT NULL,
         seq bigserial NOT NULL,
         expires_at bigint NOT NULL,
         PRIMARY KEY (conversation, placeholder))`,
      "CREATE INDEX IF NOT EXISTS conversation_vault_expiry ON {schema}.conversation_vault (expires_at)",
    ],
  },
];

/**
 * Conversation placeholders in PostgreSQL, shared by every replica. A turn costs one statement to
 * load (which also pushes the conversation's expiry) and, when it issued new placeholders, one to
 * save them (first writer wins per placeholder). Expired conversations are deleted in SQL.
 */
export class PostgresConversationVaultStore extends PgStateStore implements ConversationVaultStore {
  private constructor(opened: PgStateTable) {
    super(opened, "conversation store");
  }

  static async open(options: PostgresConversationVaultStoreOptions): Promise<PostgresConversationVaultStore> {
    return new PostgresConversationVaultStore(
      await openStateTable(options, "conversations", "conversation_vault", MIGRATIONS),
    );
  }

  async load(conversation: string, expiresAt: number): Promise<VaultEntry[]> {
    this.open();
    const { rows } = await pgQuery<{ placeholder: string; type: string; value: string; seq: string }>(
      this.pool,
      "loading a conversation's placeholders",
      `UPDATE ${this.table} SET expires_at = greatest(expires_at, $2)
        WHERE conversation = $1 AND expires_at > $3
        RETURNING placeholder, type, value, seq`,
      [conversation, expiresAt, Date.now()],
    );
    return rows
      .sort((a, b) => Number(a.seq) - Number(b.seq))
      .map(({ placeholder, type, value }) => ({ placeholder, type, value }));
  }

  async save(conversation: string, entries: readonly VaultEntry[], expiresAt: number): Promise<void> {
    this.open();
    // A row may be touched once per statement: the first entry per placeholder.
    const unique = [...new Map([...entries].reverse().map((e) => [e.placeholder, e])).values()].reverse();
    if (unique.length === 0) return;
    await pgQuery(
      this.pool,
      "saving a conversation's placeholders",
      `INSERT INTO ${this.table} AS t (conversation, placeholder, type, value, expires_at)
       SELECT $1, u.placeholder, u.type, u.value, $5
         FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(placeholder, type, value, ord)
        ORDER BY u.ord
       ON CONFLICT (conversation, placeholder) DO UPDATE SET
         type = CASE WHEN t.expires_at > $6 THEN t.type ELSE excluded.type END,
         value = CASE WHEN t.expires_at > $6 THEN t.value ELSE excluded.value END,
         seq = CASE WHEN t.expires_at > $6 THEN t.seq ELSE excluded.seq END,
         expires_at = CASE WHEN t.expires_at > $6 THEN greatest(t.expires_at, excluded.expires_at) ELSE excluded.expires_at END`,
      [
        conversation,
        unique.map((e) => e.placeholder),
        unique.map((e) => e.type),
        unique.map((e) => e.value),
        expiresAt,
        Date.now(),
      ],
    );
  }

  async prune(now = Date.now()): Promise<number> {
    this.open();
    const r = await pgQuery(
      this.pool,
      "pruning conversations",
      `DELETE FROM ${this.table} WHERE expires_at <= $1`,
      [now],
    );
    return r.rowCount ?? 0;
  }

  async forget(conversation: string): Promise<void> {
    this.open();
    await pgQuery(
      this.pool,
      "forgetting a conversation",
      `DELETE FROM ${this.table} WHERE conversation = $1`,
      [conversation],
    );
  }
}
