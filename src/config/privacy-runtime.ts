import { randomUUID } from "node:crypto";
import type { AgentPrivacy, PrivacySession } from "../agent/privacy-hooks.js";
import { currentRunScope } from "../agent/run-scope.js";
import {
  createEgressGuard,
  createNerDetector,
  createPseudonymizer,
  type EgressRecord,
  type EntityPolicy,
  PlaceholderVault,
  TaintIndex,
  type TaintScanner,
  ValueIndex,
} from "../privacy/index.js";
import { structuredDetectors } from "../privacy/detectors/index.js";
import type { SensitiveValue } from "../tools/tool-source.js";

export interface PrivacyRuntimeOptions {
  sensitiveValues: AsyncIterable<SensitiveValue> | Iterable<SensitiveValue>;
  policies?: Record<string, EntityPolicy>;
  defaultPolicy?: EntityPolicy;
  canaries?: string[];
  ner?: boolean;
  onEgress?: (record: EgressRecord) => void | Promise<void>;
  /** The real fetch under the guard. */
  fetch?: typeof fetch;
}

export interface PrivacyRuntime {
  privacy: AgentPrivacy;
  /** Give this (wrapped in the egress tap) to cloud planners. */
  guardFetch: typeof fetch;
  /** How many sensitive values were indexed. */
  indexedValues: number;
  /** The placeholders of a session: what stayed local. */
  placeholders(session: PrivacySession): { placeholder: string; type: string }[];
}

interface Session extends PrivacySession {
  vault: PlaceholderVault;
  taint: TaintIndex;
}

const SCOPE_KEY = "flm.privacy.session";

/**
 * Wires the privacy pieces into the agent's hooks: data-aware pseudonymization (the sensitive
 * columns' values), one placeholder vault per conversation, taint tracking of tool results, and an
 * egress guard that refuses any cloud request containing tainted values, placeholders' originals,
 * sensitive values or canaries.
 */
export async function createPrivacyRuntime(options: PrivacyRuntimeOptions): Promise<PrivacyRuntime> {
  const values = new ValueIndex();
  let indexedValues = 0;
  for await (const v of options.sensitiveValues) if (values.add(v)) indexedValues++;
  const canaries = new TaintIndex({ minLength: 1 });
  for (const c of options.canaries ?? []) canaries.add(c, { type: "CANARY", origin: "canary" });
  const detectors = structuredDetectors();
  if (options.ner) detectors.push(createNerDetector());
  const pseudonymizer = createPseudonymizer({
    detectors,
    valueIndex: values,
    policies: options.policies,
    defaultPolicy: options.defaultPolicy,
  });
  const asSession = (s: PrivacySession) => s as Session;

  const guard = createEgressGuard({
    fetch: options.fetch,
    onEgress: options.onEgress,
    taint: () => {
      const scanners: TaintScanner[] = [canaries, values];
      const session = currentRunScope()?.data.get(SCOPE_KEY) as Session | undefined;
      if (session) scanners.push(session.taint);
      return scanners;
    },
  });

  const privacy: AgentPrivacy = {
    createSession: (): Session => ({
      id: randomUUID(),
      vault: new PlaceholderVault(),
      taint: new TaintIndex(),
    }),
    pseudonymize(texts, session) {
      const s = asSession(session);
      currentRunScope()?.data.set(SCOPE_KEY, s);
      const out = texts.map((t) => pseudonymizer.pseudonymize(t, s.vault).text);
      s.taint.addVault(s.vault);
      return out;
    },
    checkPlanString(value, session) {
      const unknown = asSession(session).vault.unknownPlaceholders(value);
      return unknown.length
        ? `uses placeholder(s) ${unknown.join(", ")} that the prompt never contained`
        : undefined;
    },
    restore: (args, session) => asSession(session).vault.restore(args),
    taint(stepId, output, session) {
      asSession(session).taint.addToolResult(stepId, output);
    },
  };
  return {
    privacy,
    guardFetch: guard.fetch,
    indexedValues,
    placeholders: (session) =>
      asSession(session)
        .vault.entries()
        .map((e) => ({ placeholder: e.placeholder, type: e.type })),
  };
}
