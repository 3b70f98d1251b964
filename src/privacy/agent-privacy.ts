import { randomUUID } from "node:crypto";
import type { EgressRecord } from "../core/egress-record.js";
import type { AgentPrivacy, PrivacySession } from "../core/privacy-hooks.js";
import { currentRunScope } from "../core/run-scope.js";
import type { ToolSpec } from "../tools/tool.js";
import type { SensitiveValue, ToolSource } from "../tools/tool-source.js";
import type { AuditLog } from "./audit/audit-log.js";
import {
  createNerDetector,
  createOffThreadNer,
  type OffThreadNer,
  type OffThreadNerOptions,
  structuredDetectors,
} from "./detectors/index.js";
import { AnswerTaintUnavailableError, PrivacySessionError } from "./privacy-errors.js";
import { createEgressGuard } from "./egress-guard.js";
import { createEgressTap } from "./egress-tap.js";
import { PlaceholderVault } from "./placeholder-vault.js";
import { createLocalReviewer, type LocalReviewer } from "./local-review.js";
import { createModePseudonymizer, type PrivacyMode, publicTermsOf } from "./privacy-mode.js";
import type { EntityPolicy } from "./pseudonymizer.js";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { Detector, Span } from "./span.js";
import { FlmError } from "../errors/flm-error.js";
import { StateStoreUnavailableError } from "../postgres/state-errors.js";
import { AnswerTaint } from "./answer-taint/answer-taint.js";
import {
  type ConversationVaultStore,
  DEFAULT_CONVERSATION_TTL_MS,
} from "./conversation/conversation-vault-store.js";
import { MemoryConversationVaultStore } from "./conversation/memory-conversation-vault-store.js";
import type { AnswerTaintStore } from "./answer-taint/answer-taint-store.js";
import { MemoryAnswerTaintStore } from "./answer-taint/memory-answer-taint-store.js";
import { PublicTextSet, TaintIndex, type TaintScanner } from "./taint-index.js";
import { LiveValueIndex, type RefreshReport } from "./live-value-index.js";
import { entityType, type MatchOptions, type ValueIndex } from "./value-index.js";
import { canonicalEntityType } from "./entity-types.js";

/** Texts this long or longer get NER on a worker thread (shorter ones cost ~1-12 ms in-thread). */
export const DEFAULT_NER_OFF_THREAD_CHARS = 1_000;

export interface PrivacyOptions {
  /** Generic detectors. Default: every checked detector plus NER for names, places, organisations. */
  detectors?: Detector[];
  /** Sources whose sensitive columns/fields are indexed (values matched in prompts, refused at egress). */
  sources?: ToolSource[];
  /** Extra sensitive values (e.g. from a file), indexed like the sources' ones. */
  sensitiveValues?: Iterable<SensitiveValue>;
  /** Per entity type: pseudonymize, block, or allow. */
  policies?: Record<string, EntityPolicy>;
  /** For types without a policy. Default `pseudonymize`. */
  defaultPolicy?: EntityPolicy;
  /** Use NER for names, places and organisations not in the data (default true; costs a few ms a prompt). */
  ner?: boolean;
  /**
   * NER on a text of `minChars` characters or more (default 1,000) runs on a worker thread, on the
   * whole text, so a long prompt never blocks the event loop (a 20 KB prompt is ~150 ms of parsing).
   * A worker that fails or times out (`timeoutMs`, default 30 s) fails the run with
   * `PRIVACY_DETECTION_FAILED`; nothing is sent. `false` keeps NER on the calling thread.
   */
  nerOffThread?: false | (OffThreadNerOptions & { minChars?: number });
  /** Strings that must never leave, whatever happens (planted in test data, honeytokens). */
  canaries?: string[];
  /** Where every cloud egress, allowed or blocked, is recorded. */
  audit?: AuditLog;
  /** Also called for every egress (after the audit append). */
  onEgress?: (record: EgressRecord) => void | Promise<void>;
  /** Shortest tool-result value (normalized characters) the guard refuses. Default 4. */
  minTaintLength?: number;
  /** A timed index refresh failed (the index in use stays). Default: a line on stderr. */
  onIndexError?: (error: unknown) => void;
  /**
   * What flm gave each user (tool results, answers) stays tainted for them across requests:
   * quoted back in a later prompt, it is pseudonymized (or blocked), never sent. Default: an
   * in-memory store and a 24 h window; `false` turns it off.
   */
  answerTaint?:
    | false
    | {
        store?: AnswerTaintStore;
        ttlMs?: number;
        /** The clock expiry is measured with (epoch ms). Default `Date.now`; tests pass their own. */
        now?: () => number;
      };
  /**
   * Where a conversation's placeholders are kept between its turns (runs given a `conversation`
   * key): the same value keeps its placeholder on every replica. Default: in memory, 24 h after the
   * last turn; `false` turns it off (each run derives its placeholders from the history it is given).
   */
  conversations?: false | { store?: ConversationVaultStore; ttlMs?: number };
  /**
   * `standard` (default): detected values become placeholders, the rest goes out. `strict`:
   * allow-list, only common words, the bound tools' words, `allowTerms` and plain quantities go out
   * as they are (docs/concepts/privacy.md#two-modes-standard-and-strict).
   */
  mode?: PrivacyMode;
  /** Strict mode: words and phrases that may always go out as they are. */
  allowTerms?: string[];
  /** The local model (or a reviewer) that also lists the prompt's private spans. Off by default. */
  localModelReview?: LanguageModelV3 | LocalReviewer;
}

/** What a conversation keeps locally; the agent only ever holds its `PrivacySession` handle. */
interface SessionState {
  vault: PlaceholderVault;
  taint: TaintIndex;
  counts: Record<string, number>;
  /** Public texts already exempted (tool specs, planner instructions), so each is added once. */
  exempted: Set<string>;
  /** Tool specs, planner instructions and replies: public, unlike what the user typed. */
  specs: PublicTextSet;
  /** Whom the run answers (`user:<id>`, `conversation:<id>`), and what flm gave them earlier. */
  subject?: string;
  answerTaint?: TaintIndex;
  /** The conversation key its placeholders are stored under, and which of them are stored. */
  conversation?: string;
  stored: Set<string>;
  /** Words of the bound tool specs (strict mode lets them through). */
  publicTerms: Set<string>;
}

export interface Privacy extends AgentPrivacy {
  /**
   * The fetch to give every cloud provider: records exact bytes in the run's trace (tap) and
   * refuses any body carrying a tainted value (guard). `resolveModel(spec, { fetch: privacy.cloudFetch() })`.
   */
  cloudFetch(inner?: typeof fetch): typeof fetch;
  /** The index of sensitive values from the sources, as now (`ready()` waits for the first load). */
  readonly values: ValueIndex;
  ready(): Promise<void>;
  /**
   * Loads the detectors' lazy parts (the NER lexicon: about 1 s of CPU) now instead of on the
   * first prompt. For long-running processes (the gateway) at startup; touches no session.
   */
  warmUp(): void;
  /**
   * Reads what changed in the sources' sensitive columns since the last refresh (everything with
   * `full`), so a row added while flm runs is protected from then on.
   */
  refreshIndex(options?: { full?: boolean }): Promise<RefreshReport>;
  /** Refreshes the index every `intervalMs` until `stopIndexRefresh()` (`privacy.refreshIntervalMs`). */
  startIndexRefresh(intervalMs: number): void;
  stopIndexRefresh(): void;
  /** The placeholders a conversation used, without their values (what stayed local). */
  placeholders(session: PrivacySession): Array<{ placeholder: string; type: string }>;
  readonly mode: PrivacyMode;
  /** Turns the local-model review on (with that model or reviewer) or off (`undefined`). */
  useLocalReview(review: LanguageModelV3 | LocalReviewer | undefined): void;
}

/**
 * The privacy firewall as the agent sees it: pseudonymize before planning, check and restore
 * placeholders, taint every tool result, and guard the one door to the cloud.
 */
export function createPrivacy(options: PrivacyOptions = {}): Privacy {
  const live = new LiveValueIndex({
    sources: options.sources ?? [],
    extra: () => options.sensitiveValues ?? [],
    onError:
      options.onIndexError ??
      ((error) =>
        console.error(
          `[flm] sensitive index refresh failed: ${error instanceof Error ? error.message : String(error)}`,
        )),
  });
  // The index in use, whichever it is at the moment (a full rebuild replaces it).
  const values = { match: (text: string, o?: MatchOptions) => live.current.match(text, o) };
  const valuesScanner: TaintScanner = { scanLexed: (body) => live.current.scanLexed(body) };
  const global = new TaintIndex({ minLength: options.minTaintLength });
  for (const canary of options.canaries ?? []) global.add(canary, { type: "CANARY", origin: "canary" });
  const answerTaint =
    options.answerTaint === false
      ? undefined
      : new AnswerTaint({
          store: options.answerTaint?.store ?? new MemoryAnswerTaintStore(),
          ttlMs: options.answerTaint?.ttlMs,
          now: options.answerTaint?.now,
        });
  const conversationStore =
    options.conversations === false
      ? undefined
      : (options.conversations?.store ?? new MemoryConversationVaultStore());
  const conversationTtl =
    (options.conversations === false ? undefined : options.conversations?.ttlMs) ??
    DEFAULT_CONVERSATION_TTL_MS;
  /** Stores the placeholders this conversation's turn issued, for its next turn on any replica. */
  const saveConversation = async (s: SessionState) => {
    if (!conversationStore || s.conversation === undefined) return;
    const issued = s.vault.entries().filter((e) => !s.stored.has(e.placeholder));
    if (issued.length === 0) return;
    try {
      await conversationStore.save(s.conversation, issued, Date.now() + conversationTtl);
    } catch (cause) {
      throw conversationStoreError(cause);
    }
    for (const e of issued) s.stored.add(e.placeholder);
  };
  const ner = options.detectors || options.ner === false ? undefined : createNerDetector();
  const offThread = ner && options.nerOffThread !== false ? (options.nerOffThread ?? {}) : undefined;
  const minOffThreadChars = offThread?.minChars ?? DEFAULT_NER_OFF_THREAD_CHARS;
  let nerWorker: OffThreadNer | undefined;
  /** NER's spans for a long text, found on the worker thread (undefined: detect here). */
  const detectedElsewhere = async (text: string): Promise<Map<Detector, Span[]> | undefined> => {
    if (!ner || !offThread || text.length < minOffThreadChars) return undefined;
    nerWorker ??= createOffThreadNer(offThread);
    return new Map([[ner, await nerWorker.detect(text)]]);
  };
  const mode = options.mode ?? "standard";
  const pseudonymizer = createModePseudonymizer({
    mode,
    allowTerms: options.allowTerms,
    detectors: options.detectors ?? (ner ? [...structuredDetectors(), ner] : structuredDetectors()),
    valueIndex: values,
    policies: canonicalPolicies(options.policies),
    defaultPolicy: options.defaultPolicy,
  });
  const reviewerOf = (r: LanguageModelV3 | LocalReviewer | undefined): LocalReviewer | undefined =>
    r === undefined ? undefined : "review" in r ? r : createLocalReviewer({ model: r });
  let reviewer = reviewerOf(options.localModelReview);
  let loading: Promise<void> | undefined;
  const load = () => {
    loading ??= (async () => {
      await live.rebuild();
    })().catch((error) => {
      loading = undefined; // a source that was down is read again on the next run
      throw error;
    });
    return loading;
  };
  // Session handles the agent holds → their state; a handle from another Privacy is refused.
  const sessions = new WeakMap<PrivacySession, SessionState>();
  const stateOf = (session: PrivacySession): SessionState => {
    const state = sessions.get(session);
    if (!state) {
      throw new PrivacySessionError();
    }
    return state;
  };
  const exemptOnce = (s: SessionState, text: string, spec = true) => {
    if (s.exempted.has(text)) return;
    s.exempted.add(text);
    s.taint.exempt(text);
    if (spec) s.specs.add(text);
  };

  /** The current run's session state, once bound (a foreign session throws: the guard then blocks). */
  const boundState = (): SessionState | undefined => {
    const session = currentRunScope()?.privacySession;
    return session ? stateOf(session) : undefined;
  };
  const scanners = (): TaintScanner[] => {
    const state = boundState();
    if (!state) return [global, valuesScanner];
    const earlier = state.answerTaint;
    // What flm gave the user earlier: public only if the tool specs or planner texts say it,
    // never because the user typed it (that is exactly the quote to catch).
    return earlier
      ? [global, valuesScanner, state.taint, { scanLexed: (body) => earlier.scanLexed(body, state.specs) }]
      : [global, valuesScanner, state.taint];
  };

  const record = async (r: EgressRecord) => {
    const scope = currentRunScope();
    const session = boundState();
    if (options.audit) {
      await options.audit.append({
        host: r.host,
        model: modelOf(r.body, r.url),
        purpose: r.purpose,
        // A blocked body holds exactly what must not be kept: store its hash only.
        ...(r.decision === "allowed" ? { body: r.body } : { bodySha256: r.sha256 }),
        placeholderCounts: session?.counts ?? {},
        decision: r.decision,
        reason: r.hits.length ? r.hits.map((h) => `${h.type} from ${h.origin}`).join(", ") : undefined,
        runId: scope?.runId,
        userId: scope?.userId,
      });
    }
    await options.onEgress?.(r);
  };

  return {
    get values() {
      return live.current;
    },
    mode,
    useLocalReview(review) {
      reviewer = reviewerOf(review);
    },
    ready: load,
    warmUp() {
      pseudonymizer.detect("Warm-up: Maria Keller of Acme Corp. in Berlin, maria.keller@example.com.");
    },
    async refreshIndex(refresh = {}) {
      await load();
      return live.refresh(refresh);
    },
    startIndexRefresh: (intervalMs) => live.start(intervalMs),
    stopIndexRefresh: () => live.stop(),
    createSession(): PrivacySession {
      const session: PrivacySession = { id: randomUUID() };
      sessions.set(session, {
        vault: new PlaceholderVault(),
        taint: new TaintIndex({ minLength: options.minTaintLength }),
        counts: {},
        exempted: new Set(),
        specs: new PublicTextSet(),
        stored: new Set(),
        publicTerms: new Set(),
      });
      return session;
    },
    async enter(session, subject, conversation) {
      const s = stateOf(session);
      s.subject = subject;
      const loading: Array<Promise<void>> = [];
      if (answerTaint)
        loading.push(
          answerTaint.index(subject).then(
            (index) => {
              s.answerTaint = index;
            },
            (cause) => {
              throw new AnswerTaintUnavailableError(cause);
            },
          ),
        );
      if (conversationStore && conversation !== undefined) {
        s.conversation = conversation;
        loading.push(
          conversationStore.load(conversation, Date.now() + conversationTtl).then(
            (entries) => {
              s.vault.adopt(entries);
              for (const e of entries) s.stored.add(e.placeholder);
            },
            (cause) => {
              throw conversationStoreError(cause);
            },
          ),
        );
      }
      await Promise.all(loading);
    },
    async noteFallback(session, fallback) {
      stateOf(session);
      if (!options.audit) return;
      const scope = currentRunScope();
      const { cause } = fallback;
      // Not an egress (the local planner sends nothing out): a record of why planning stayed local.
      const reason = `cloud planner ${fallback.from} failed (${cause.code}${cause.status ? `, HTTP ${cause.status}` : ""}${
        cause.endpoint ? `, ${cause.endpoint}` : ""
      }); planned locally with ${fallback.to}`;
      await options.audit.append({
        host: "local",
        model: fallback.to,
        purpose: "plan-fallback",
        body: JSON.stringify({
          from: fallback.from,
          to: fallback.to,
          code: cause.code,
          status: cause.status ?? null,
        }),
        decision: "allowed",
        reason,
        runId: scope?.runId,
        userId: scope?.userId,
      });
    },
    async remember(session, gift) {
      const s = stateOf(session);
      await Promise.all([
        answerTaint && s.subject
          ? answerTaint.record(s.subject, gift).catch((cause) => {
              throw new AnswerTaintUnavailableError(cause);
            })
          : undefined,
        saveConversation(s),
      ]);
    },
    bind(session, tools: ToolSpec[]) {
      const s = stateOf(session);
      const scope = currentRunScope();
      if (scope) scope.privacySession = session;
      // Tool names, descriptions and enum values are public by definition.
      exemptOnce(s, JSON.stringify(tools));
      for (const term of publicTermsOf(tools)) s.publicTerms.add(term);
    },
    async pseudonymize(texts, session, call = {}) {
      const s = stateOf(session);
      const earlier = s.answerTaint;
      const extra = earlier ? [{ match: (text: string) => earlier.match(text, s.specs) }] : [];
      // The local model reviews the prompt (the last text, unless the caller says it is an earlier
      // turn); values it found in earlier turns are in the vault, and every later mention of them
      // is replaced anyway.
      let reviewed: Span[] | undefined;
      const prompt = texts.at(-1);
      if (reviewer && prompt !== undefined && call.review !== false) {
        const review = await reviewer.review(prompt);
        reviewed = review.spans;
        const scope = currentRunScope();
        if (scope) scope.privacyReview = { ms: review.ms, spans: review.spans.length, error: review.error };
      }
      // NER on a long text runs on the worker (whole text, never split); a failure there throws.
      const detected = await Promise.all(texts.map(detectedElsewhere));
      const out = texts.map((text, i) => {
        const extraSpans = i === texts.length - 1 ? reviewed : undefined;
        const result = pseudonymizer.pseudonymize(text, s.vault, {
          publicTerms: s.publicTerms,
          extra,
          extraSpans,
          detected: detected[i],
        });
        for (const [type, n] of Object.entries(result.counts)) s.counts[type] = (s.counts[type] ?? 0) + n;
        return result.text;
      });
      // The originals behind placeholders must never leave; what the user typed around them may.
      s.taint.addVault(s.vault);
      for (const text of out) exemptOnce(s, text, false);
      return out;
    },
    markPublic(texts, session) {
      for (const text of texts) exemptOnce(stateOf(session), text);
    },
    checkPlanString(value, session) {
      const unknown = stateOf(session).vault.unknownPlaceholders(value);
      return unknown.length
        ? `unknown placeholder ${unknown.join(", ")}; use only the placeholders that appear in the question`
        : undefined;
    },
    restore: (args, session) => stateOf(session).vault.restore(args),
    placeholders: (session) =>
      stateOf(session)
        .vault.entries()
        .map((e) => ({ placeholder: e.placeholder, type: e.type })),
    taint(stepId, output, session) {
      stateOf(session).taint.addToolResult(stepId, output);
    },
    cloudFetch(inner) {
      return createEgressTap(createEgressGuard({ taint: scanners, onEgress: record, fetch: inner }).fetch);
    },
  };
}

/** A conversation store failure as the typed error the gateway answers 503 to (nothing was sent). */
function conversationStoreError(cause: unknown): FlmError {
  return FlmError.isInstance(cause)
    ? cause
    : new StateStoreUnavailableError("conversation placeholders", cause);
}

/** Policies under flm's type names: Presidio's names and any case accepted (`email_address` → `EMAIL`). */
function canonicalPolicies(policies: Record<string, EntityPolicy> | undefined) {
  if (!policies) return undefined;
  return Object.fromEntries(
    Object.entries(policies).map(([type, policy]) => [canonicalEntityType(type) ?? entityType(type), policy]),
  );
}

/** The model a request is for: in the body (OpenAI, Anthropic) or in the path (Google `models/x:generateContent`). */
export function modelOf(body: string, url = ""): string {
  try {
    const model = (JSON.parse(body) as { model?: unknown }).model;
    if (typeof model === "string") return model;
  } catch {
    // not JSON: fall through to the URL
  }
  return /\/models\/([^/:?]+)/.exec(url)?.[1] ?? "unknown";
}
