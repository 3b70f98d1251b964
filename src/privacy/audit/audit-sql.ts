/**
 * SQL shared by the SQLite and PostgreSQL audit stores: the tree-head and cosignature tables, the
 * cadence-enforcing conditional insert, and row conversions. `param(n)` writes the dialect's n-th
 * (1-based) placeholder; `id` is the dialect's auto-increment primary key column definition.
 */
import type { AppendTreeHeadOptions } from "./audit-store.js";
import type { StoredCosignature, StoredTreeHead, TreeHead } from "./tree-head.js";

export interface AuditTables {
  records: string;
  checkpoints: string;
  treeHeads: string;
  cosignatures: string;
}

export function treeHeadTablesDdl(t: AuditTables, id: string, sizeType: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${t.treeHeads} (
  id ${id},
  size ${sizeType} NOT NULL,
  root_hash TEXT NOT NULL,
  note TEXT NOT NULL,
  frontier TEXT NOT NULL,
  replica TEXT,
  at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ${t.cosignatures} (
  id ${id},
  tree_head_id ${sizeType} NOT NULL,
  witness TEXT NOT NULL,
  key_id TEXT NOT NULL,
  line TEXT NOT NULL,
  at TEXT NOT NULL
);`;
}

/** Index DDL; `unqualified(name)` gives the bare index name the dialect wants. */
export function treeHeadIndexesDdl(t: AuditTables): string {
  return `
CREATE INDEX IF NOT EXISTS audit_tree_heads_size ON ${t.treeHeads} (size);
CREATE UNIQUE INDEX IF NOT EXISTS audit_cosignatures_unique ON ${t.cosignatures} (tree_head_id, witness, key_id);
CREATE INDEX IF NOT EXISTS audit_cosignatures_witness ON ${t.cosignatures} (witness, key_id);`;
}

const TREE_HEAD_COLUMNS = "size, root_hash, note, frontier, replica, at";

/**
 * One statement that inserts `head` only if no tree head already covers it (see
 * `AppendTreeHeadOptions`); atomic in SQLite, and under the checkpoint lock in PostgreSQL.
 */
export function conditionalTreeHeadInsert(
  table: string,
  head: TreeHead,
  options: AppendTreeHeadOptions,
  param: (n: number) => string,
): { sql: string; params: (string | number | null)[] } {
  const params: (string | number | null)[] = [
    head.size,
    head.rootHash,
    head.note,
    head.frontier,
    head.replica ?? null,
    head.at,
    head.size - Math.max(1, options.minGap),
  ];
  let sql =
    `INSERT INTO ${table} (${TREE_HEAD_COLUMNS}) SELECT ${params
      .slice(0, 6)
      .map((_, i) => param(i + 1))
      .join(", ")}` + ` WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE size > ${param(7)})`;
  if (options.minAgeMs) {
    params.push(new Date(Date.parse(head.at) - options.minAgeMs).toISOString());
    sql += ` AND NOT EXISTS (SELECT 1 FROM ${table} WHERE at > ${param(8)})`;
  }
  return { sql: `${sql} RETURNING id`, params };
}

export function cosignatureInsert(
  table: string,
  c: StoredCosignature,
  param: (n: number) => string,
): { sql: string; params: (string | number)[] } {
  return {
    sql: `INSERT INTO ${table} (tree_head_id, witness, key_id, line, at) VALUES (${[1, 2, 3, 4, 5].map(param).join(", ")}) ON CONFLICT DO NOTHING`,
    params: [c.treeHeadId, c.witness, c.keyId, c.line, c.at],
  };
}

/** The newest (largest tree) cosignature by one witness key; `$1` witness name, `$2` key ID. */
export function latestCosignatureQuery(t: AuditTables, param: (n: number) => string): string {
  return `SELECT c.*, h.size AS size FROM ${t.cosignatures} c JOIN ${t.treeHeads} h ON h.id = c.tree_head_id
    WHERE c.witness = ${param(1)} AND c.key_id = ${param(2)} ORDER BY h.size DESC, c.id DESC LIMIT 1`;
}

export function treeHeadFromRow(row: Record<string, unknown>): StoredTreeHead {
  const head: StoredTreeHead = {
    id: Number(row.id),
    size: Number(row.size),
    rootHash: String(row.root_hash),
    note: String(row.note),
    frontier: String(row.frontier),
    at: String(row.at),
  };
  if (row.replica != null) head.replica = String(row.replica);
  return head;
}

export function cosignatureFromRow(row: Record<string, unknown>): StoredCosignature {
  return {
    treeHeadId: Number(row.tree_head_id),
    witness: String(row.witness),
    keyId: String(row.key_id),
    line: String(row.line),
    at: String(row.at),
  };
}
