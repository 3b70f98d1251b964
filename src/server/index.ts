export {
  createGateway,
  DEFAULT_GATEWAY_LIMITS,
  type Gateway,
  type GatewayLimits,
  type GatewayOptions,
  type ListeningGateway,
} from "./create-gateway.js";
export { GatewayConfigError, GatewayError, type OpenAIErrorBody } from "./gateway-errors.js";
export type { GatewayMetrics } from "./gateway-metrics.js";
export type { GatewayUser } from "./token-auth.js";
export { traceView } from "./trace-route.js";
