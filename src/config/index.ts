export {
  agentNames,
  checkAgents,
  DEFAULT_AGENT_NAME,
  type ResolvedAgentConfig,
  resolveAgentConfigs,
} from "./agent-configs.js";
export { ConfigError, type ConfigErrorCode, type ConfigIssue, isConfigError } from "./config-error.js";
export {
  type AgentEntryConfig,
  agentEntrySchema,
  configSchema,
  type FlmConfigData,
  type FlmConfigInput,
  type ModelConfig,
  type ToolSourceConfig,
} from "./config-schema.js";
export { interpolateEnv } from "./interpolate-env.js";
export {
  CONFIG_FILE_NAMES,
  configPath,
  type FlmConfig,
  type LoadConfigOptions,
  loadConfig,
  parseConfig,
} from "./load-config.js";
export { REDACTED, redactSecrets } from "./redact-secrets.js";
