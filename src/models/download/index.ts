export { ModelDownloadAbortedError, ModelDownloadError } from "./errors.js";
export {
  cacheFileNameFor,
  defaultModelCacheDir,
  type PulledModel,
  type PullModelOptions,
  type PullProgress,
  pullModel,
} from "./pull-model.js";
