export { MongoSourceError } from "./mongo-error.js";
export type { MongoIdentityBinding } from "./mongo-identity.js";
export {
  createMongoSource,
  type MongoCollectionConfig,
  type MongoResult,
  type MongoSource,
  type MongoSourceConfig,
} from "./mongo-source.js";
