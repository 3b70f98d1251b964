export { checkSchemaName, type Migration, migrate } from "./migrate.js";
export {
  openStateTable,
  PgStateStore,
  type PgStateStoreOptions,
  type PgStateTable,
} from "./pg-state-store.js";
export { loadPgModule, openPgPool, type PgPoolOptions, pgQuery } from "./pg-pool.js";
export {
  isPgUnavailable,
  StateStoreError,
  StateStoreUnavailableError,
  stateErrorFor,
} from "./state-errors.js";
