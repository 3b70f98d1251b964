import { defineTool } from "../../tools/define-tool.js";
import type { JSONSchema7 } from "../../tools/json-schema.js";
import type { Tool, ToolRunContext } from "../../tools/tool.js";
import type { ToolSource } from "../../tools/tool-source.js";
import { buildRequest, type CallSettings, type IdentityBinding, sendRequest } from "./http-call.js";
import { type LoadedSpec, loadOpenApiSpec, type OpenApiSpecInput } from "./load-spec.js";
import { normalizeSchema } from "./normalize-schema.js";
import { OpenApiSourceError } from "./openapi-errors.js";
import { extractOperations, type Operation, type SkippedOperation } from "./operations.js";

export interface OpenApiSourceOptions {
  /** Source name, used in traces (`openapi:NAME`). */
  name: string;
  /** A file path (YAML or JSON), an http(s) URL, or the document itself. */
  spec: OpenApiSpecInput;
  /** Overrides the document's first `servers` entry. */
  baseURL?: string;
  /** @deprecated Use `baseURL` (the spelling every flm option uses). */
  baseUrl?: string;
  /** Sent on every request (e.g. `Authorization`); hidden from the planner and never overridable. */
  headers?: Record<string, string>;
  /** Only these operations: operationId or `METHOD /path`, exact or with `*` wildcards. */
  operations?: string[];
  /**
   * Binds the run's caller id to a header, query parameter and/or path parameter on every
   * request. The planner never sees these parameters and cannot override them.
   */
  identity?: IdentityBinding;
  /** Per-request timeout (default 30 s); also bounds fetching the document. */
  timeoutMs?: number;
}

export interface OpenApiToolSource extends ToolSource {
  /** Operations left out, with the reason (e.g. a non-JSON request body). */
  skipped(): Promise<SkippedOperation[]>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** An OpenAPI 3.x service as a tool source: one tool per operation, called with `fetch`. */
export function createOpenApiSource(options: OpenApiSourceOptions): OpenApiToolSource {
  validateOptions(options);
  const source = options.name;
  /** For loading the spec, and for calls run without a step timeout (outside an agent). */
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const identity = options.identity;
  const headers = { ...(options.headers ?? {}) };
  let state: Promise<{ spec: LoadedSpec; tools: Tool[]; skipped: SkippedOperation[] }> | undefined;
  let closed = false;

  async function build() {
    const spec = await loadOpenApiSpec(options.spec, { source, timeoutMs });
    const baseURL = resolveBaseUrl(options.baseURL ?? options.baseUrl, spec, source);
    const settings: CallSettings = { source, baseURL, headers, identity, timeoutMs };
    const { operations, names, skipped } = extractOperations(spec.document, {
      include: options.operations,
      bound: {
        header: [...Object.keys(headers), ...(identity?.header ? [identity.header] : [])],
        query: identity?.query ? [identity.query] : [],
        path: identity?.pathParam ? [identity.pathParam] : [],
      },
    });
    const tools = operations.map((op, i) => toTool({ ...op, toolName: names[i] }, settings));
    return { spec, tools, skipped };
  }

  function load() {
    if (closed) {
      return Promise.reject(
        new OpenApiSourceError("OPENAPI_SOURCE_CLOSED", `OpenAPI source "${source}" is closed.`, { source }),
      );
    }
    state ??= build().catch((error) => {
      state = undefined;
      throw error;
    });
    return state;
  }

  function toTool(operation: Operation, settings: CallSettings): Tool {
    const inputSchema = normalizeSchema(operation.inputSchema);
    const common = {
      name: operation.toolName,
      description: operation.description,
      // Only a configured timeout shortens the agent's step timeout; the default does not.
      timeoutMs: options.timeoutMs,
      source: `openapi:${source}`,
      // GET, HEAD and OPTIONS read; anything else may change something on the service.
      sideEffects: !["GET", "HEAD", "OPTIONS"].includes(operation.method.toUpperCase()),
      run: async (input: Record<string, unknown>, context: ToolRunContext) => {
        context.signal.throwIfAborted();
        const request = buildRequest(operation, input ?? {}, settings, context.caller);
        return sendRequest(operation, request, settings, context.signal, context.timeoutMs);
      },
    };
    try {
      return defineTool<Record<string, unknown>>({ ...common, input: inputSchema });
    } catch {
      // A schema the validator cannot compile still goes to the planner; the service validates.
      const tool = defineTool<Record<string, unknown>>({ ...common, input: { type: "object" } });
      return { ...tool, inputSchema: inputSchema as JSONSchema7 };
    }
  }

  return {
    name: source,
    async tools() {
      return (await load()).tools;
    },
    async skipped() {
      return (await load()).skipped;
    },
    async check() {
      try {
        const { spec, tools, skipped } = await load();
        const info = spec.document.info;
        const title = info?.title ? `${info.title} ${info.version ?? ""}`.trim() : "untitled API";
        const extra = skipped.length > 0 ? `, ${skipped.length} skipped` : "";
        return { ok: true, detail: `${title}, ${tools.length} operation(s)${extra}` };
      } catch (error) {
        return { ok: false, detail: (error as Error).message };
      }
    },
    async close() {
      // Nothing to release: fetch keeps no per-source connections we own.
      closed = true;
      state = undefined;
    },
  };
}

function resolveBaseUrl(configured: string | undefined, spec: LoadedSpec, source: string): string {
  const server = spec.document.servers?.[0];
  let raw = configured ?? server?.url;
  if (!configured && server?.variables) {
    for (const [name, variable] of Object.entries(server.variables)) {
      raw = raw?.replaceAll(`{${name}}`, variable.default ?? "");
    }
  }
  if (raw === undefined) {
    throw new OpenApiSourceError(
      "OPENAPI_CONFIG_INVALID",
      `OpenAPI source "${source}" has no base URL: the document lists no servers.`,
      { source },
      { hint: 'Set baseURL, e.g. "http://127.0.0.1:8080".' },
    );
  }
  try {
    // A relative server URL ("/api") is relative to where the document came from.
    return new URL(raw, spec.location).href;
  } catch {
    throw new OpenApiSourceError(
      "OPENAPI_CONFIG_INVALID",
      `OpenAPI source "${source}" has base URL "${raw}", which is not an absolute URL.`,
      { source },
      { hint: "Set baseURL to an absolute http(s) URL." },
    );
  }
}

function validateOptions(options: OpenApiSourceOptions): void {
  const fail = (message: string, hint: string) => {
    throw new OpenApiSourceError(
      "OPENAPI_CONFIG_INVALID",
      message,
      { source: options?.name ?? "?" },
      { hint },
    );
  };
  if (!options?.name?.trim()) fail("An OpenAPI source needs a name.", 'Add name: "orders" (used in traces).');
  if (!options.spec)
    fail(`OpenAPI source "${options.name}" has no spec.`, "Set spec to a file path, URL or object.");
  const identity = options.identity;
  if (identity && !identity.header && !identity.query && !identity.pathParam) {
    fail(
      `OpenAPI source "${options.name}" has an empty identity binding.`,
      'Say where the caller id goes, e.g. identity: { header: "X-User-Id" }.',
    );
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    fail(
      `OpenAPI source "${options.name}" has timeoutMs ${options.timeoutMs}.`,
      "Use a positive number of milliseconds.",
    );
  }
}
