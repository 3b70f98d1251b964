export { MongoSourceError } from "./mongo-error.js";
export { FILTER_OPERATORS, type FilterRules, sanitizeFilter } from "./mongo-filter.js";
export type { MongoIdentityBinding } from "./mongo-identity.js";
export { buildFind, type MongoFindArgs, type MongoFindPlan, plainDocument } from "./mongo-find.js";
export { PIPELINE_STAGES, type PipelineRules, sanitizePipeline } from "./mongo-pipeline.js";
export {
  createMongoSource,
  type MongoCollectionConfig,
  type MongoResult,
  type MongoSource,
  type MongoSourceConfig,
} from "./mongo-source.js";
