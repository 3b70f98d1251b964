import type pg from "pg";
import type { FlmConfig } from "../config/load-config.js";
import type { AnswerTaintStore } from "../privacy/answer-taint/answer-taint-store.js";
import type { ConversationVaultStore } from "../privacy/conversation/conversation-vault-store.js";

/** The shared state `state.url` selects: stores every replica reads and writes. */
export interface ConfiguredState {
  /** The pool the stores share (also for the gateway's per-user limits). */
  pool: pg.Pool;
  schema: string;
  answerTaint: AnswerTaintStore;
  conversations: ConversationVaultStore;
  conversationTtlMs?: number;
  close(): Promise<void>;
}

/**
 * Opens the PostgreSQL shared state when `state.url` is set (undefined otherwise: state stays in
 * the process). Tables are created or migrated first, under an advisory lock, so replicas starting
 * together do not race.
 */
export async function openConfiguredState(config: FlmConfig): Promise<ConfiguredState | undefined> {
  const state = config.state;
  if (!state) return undefined;
  const { openPgPool } = await import("../postgres/pg-pool.js");
  const { PostgresAnswerTaintStore } = await import("../privacy/answer-taint/postgres-answer-taint-store.js");
  const { PostgresConversationVaultStore } = await import(
    "../privacy/conversation/postgres-conversation-vault-store.js"
  );
  const schema = state.schema ?? "flm_state";
  const pool = await openPgPool({ url: state.url, max: state.poolSize ?? 8, applicationName: "flm-state" });
  try {
    const answerTaint = await PostgresAnswerTaintStore.open({ pool, schema });
    const conversations = await PostgresConversationVaultStore.open({ pool, schema });
    return {
      pool,
      schema,
      answerTaint,
      conversations,
      conversationTtlMs: state.conversationTtl,
      async close() {
        await Promise.allSettled([answerTaint.close(), conversations.close()]);
        await pool.end().catch(() => undefined);
      },
    };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
