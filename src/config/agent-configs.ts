import type { ConfigIssue } from "./config-error.js";
import {
  type AnswerConfig,
  type FlmConfigData,
  type LimitsConfig,
  type ModelConfig,
  NAME_PATTERN,
} from "./config-schema.js";

export const DEFAULT_AGENT_NAME = "flm";

/** One agent as built: the top level's settings with the entry's own on top. */
export interface ResolvedAgentConfig {
  name: string;
  description?: string;
  /** Names of the tool sources it sees, in the order of the top-level `tools`. */
  tools: string[];
  planner: "local" | ModelConfig;
  generator: ModelConfig;
  limits: LimitsConfig;
  answer: AnswerConfig;
  /** Key path prefix for errors: `""` for the top-level agent, `agents.<name>.` for the others. */
  at: string;
}

/** The agent names a config defines: the top-level one first (the default), then `agents` in order. */
export function agentNames(config: FlmConfigData): string[] {
  return [config.name ?? DEFAULT_AGENT_NAME, ...Object.keys(config.agents ?? {})];
}

/** Every agent with inheritance applied; the first is the top-level (default) agent. */
export function resolveAgentConfigs(config: FlmConfigData): ResolvedAgentConfig[] {
  const sources = config.tools.map((t) => t.name);
  const top: ResolvedAgentConfig = {
    name: config.name ?? DEFAULT_AGENT_NAME,
    description: config.description,
    tools: sources,
    planner: config.planner ?? "local",
    generator: config.generator,
    limits: config.limits ?? {},
    answer: config.answer ?? {},
    at: "",
  };
  const others = Object.entries(config.agents ?? {}).map(
    ([name, entry]): ResolvedAgentConfig => ({
      name,
      description: entry.description,
      tools: entry.tools ? sources.filter((s) => entry.tools!.includes(s)) : sources,
      // Unset parts come from the top level (the CLI flags `--planner`/`--generator` replace both).
      planner: entry.planner ?? top.planner,
      generator: entry.generator ?? top.generator,
      limits: { ...top.limits, ...entry.limits },
      answer: { ...top.answer, ...entry.answer },
      at: `agents.${name}.`,
    }),
  );
  return [top, ...others];
}

/**
 * What the schema cannot say about `agents`: names must be valid `model` ids and differ from the
 * top-level agent's, and `tools` may only name top-level tool sources.
 */
export function checkAgents(config: FlmConfigData): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const defaultName = config.name ?? DEFAULT_AGENT_NAME;
  const sources = new Set(config.tools.map((t) => t.name));
  for (const [name, entry] of Object.entries(config.agents ?? {})) {
    const at = `agents.${name}`;
    if (!NAME_PATTERN.test(name)) {
      issues.push({
        path: at,
        message: `expected an agent name of letters, digits, _ or - starting with a letter (it is the gateway's model id), found ${JSON.stringify(name)}`,
      });
    } else if (name.toLowerCase() === defaultName.toLowerCase()) {
      issues.push({
        path: at,
        message: `the top-level agent is already named "${defaultName}"${config.name ? " (name)" : " (the default name)"}; give this agent another name, or set name to rename the top-level agent`,
      });
    }
    const seen = new Set<string>();
    for (const [i, tool] of (entry.tools ?? []).entries()) {
      if (!sources.has(tool)) {
        issues.push({
          path: `${at}.tools[${i}]`,
          message: `no tool source named "${tool}" (expected one of the top-level tools: ${[...sources].join(", ") || "none configured"})`,
        });
      } else if (seen.has(tool)) {
        issues.push({ path: `${at}.tools[${i}]`, message: `"${tool}" is listed twice` });
      }
      seen.add(tool);
    }
  }
  // Two entries that differ only in case would be confusing model ids.
  const lower = new Map<string, string>();
  for (const name of Object.keys(config.agents ?? {})) {
    const other = lower.get(name.toLowerCase());
    if (other !== undefined)
      issues.push({
        path: `agents.${name}`,
        message: `duplicates the agent name "${other}" (names ignore case)`,
      });
    else lower.set(name.toLowerCase(), name);
  }
  return issues;
}
