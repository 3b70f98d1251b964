import { FlmError } from "../errors/flm-error.js";

/** The local answer model failed before or while streaming. */
export class GeneratorError extends FlmError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super("GENERATOR_FAILED", message, options);
  }
}

export class AgentConfigError extends FlmError {
  constructor(message: string, hint?: string) {
    super("AGENT_CONFIG_INVALID", message, { hint });
  }
}
