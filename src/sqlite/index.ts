export {
  type ExecuteResult,
  type IterateOptions,
  type RunResult,
  SqliteConnection,
  type SqliteOptions,
  type SqliteTransaction,
  type StatementOptions,
} from "./sqlite-connection.js";
export { SqliteError } from "./sqlite-errors.js";
export { startModuleWorker } from "./module-worker.js";
