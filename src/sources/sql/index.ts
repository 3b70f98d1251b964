export type { DeclaredQuery } from "./declared-query.js";
export { PostgresDriver, type PostgresDriverOptions } from "./postgres-driver.js";
export type { ColumnInfo, QueryOptions, QueryResult, SqlDriver, TableInfo } from "./sql-driver.js";
export { SqlSourceError } from "./sql-error.js";
export { createSqlSource, type SensitiveColumn, type SqlSource, type SqlSourceConfig } from "./sql-source.js";
export { SqliteDriver, type SqliteDriverOptions } from "./sqlite-driver.js";
export type { FilterOp, FindArgs, FindFilter, RowFilter } from "./table-query.js";
export type { TableToolConfig } from "./table-tool.js";
