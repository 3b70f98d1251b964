import { FlmError } from "../errors/flm-error.js";

export class AgentConfigError extends FlmError {
  static override readonly marker: string = "federated-lm.AgentConfigError";
  constructor(message: string, hint?: string) {
    super("AGENT_CONFIG_INVALID", message, { hint });
  }
}
