import type { Caller } from "../../tools/caller.js";
import { OpenApiSourceError } from "./openapi-errors.js";
import type { Operation } from "./operations.js";

/** Where the caller's id goes on every request; these names are hidden from the planner. */
export interface IdentityBinding {
  header?: string;
  query?: string;
  pathParam?: string;
}

export interface CallSettings {
  source: string;
  baseURL: string;
  headers: Record<string, string>;
  identity?: IdentityBinding;
  timeoutMs: number;
}

const EXCERPT_MAX = 300;

/** Builds the URL and request for one operation; the planner's input cannot override bound values. */
export function buildRequest(
  operation: Operation,
  input: Record<string, unknown>,
  settings: CallSettings,
  caller: Caller | undefined,
): { url: URL; init: RequestInit } {
  const identity = settings.identity;
  if (identity && !caller) {
    throw new OpenApiSourceError(
      "OPENAPI_IDENTITY_REQUIRED",
      `Source "${settings.source}" binds the caller's identity, but this run has no caller.`,
      { source: settings.source },
      { hint: "Pass caller: { id, roles } in the run options." },
    );
  }
  const pathValues: Record<string, string> = {};
  const query: [string, string][] = [];
  const headers: Record<string, string> = { accept: "application/json, text/plain;q=0.9, */*;q=0.5" };
  for (const param of operation.params) {
    const value = input[param.property];
    if (value === undefined || value === null) continue;
    if (param.in === "path") pathValues[param.name] = scalar(value);
    else if (param.in === "header") headers[param.name.toLowerCase()] = scalar(value);
    else if (Array.isArray(value)) for (const item of value) query.push([param.name, scalar(item)]);
    else query.push([param.name, scalar(value)]);
  }
  if (identity?.pathParam) pathValues[identity.pathParam] = caller!.id;

  const path = operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = pathValues[name];
    if (value === undefined) {
      throw new OpenApiSourceError(
        "OPENAPI_REQUEST_FAILED",
        `Operation ${operation.method} ${operation.path} of "${settings.source}" needs path parameter "${name}".`,
        { source: settings.source },
      );
    }
    // "." and ".." survive encodeURIComponent and would be resolved by the URL parser,
    // climbing to another operation (or out of the caller's segment).
    if (value === "." || value === "..") {
      throw new OpenApiSourceError(
        "OPENAPI_REQUEST_FAILED",
        `Path parameter "${name}" of ${operation.method} ${operation.path} may not be "${value}".`,
        { source: settings.source },
      );
    }
    return encodeURIComponent(value);
  });
  const url = new URL(settings.baseURL.replace(/\/+$/, "") + path);
  for (const [name, value] of query) {
    if (name !== identity?.query) url.searchParams.append(name, value);
  }
  if (identity?.query) url.searchParams.set(identity.query, caller!.id);
  // Configured headers (auth) and the identity header come last, so they always win.
  for (const [name, value] of Object.entries(settings.headers)) headers[name.toLowerCase()] = value;
  if (identity?.header) headers[identity.header.toLowerCase()] = caller!.id;

  const init: RequestInit = { method: operation.method, headers };
  if (operation.bodyContentType && input.body !== undefined) {
    headers["content-type"] = operation.bodyContentType;
    init.body = JSON.stringify(input.body);
  }
  return { url, init };
}

/** Sends the request and returns the parsed body; non-2xx answers become typed errors. */
export async function sendRequest(
  operation: Operation,
  request: { url: URL; init: RequestInit },
  settings: CallSettings,
  signal: AbortSignal,
  timeoutMs = settings.timeoutMs,
): Promise<unknown> {
  signal.throwIfAborted();
  const timeout = AbortSignal.timeout(timeoutMs);
  const where = `${operation.method} ${operation.path} on "${settings.source}"`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, { ...request.init, signal: AbortSignal.any([signal, timeout]) });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw signal.reason ?? error;
    if (timeout.aborted) {
      throw new OpenApiSourceError(
        "OPENAPI_TIMEOUT",
        `${where} did not answer within ${timeoutMs} ms.`,
        { source: settings.source },
        { cause: error, hint: "Raise timeoutMs for this source if the service is legitimately slow." },
      );
    }
    throw new OpenApiSourceError(
      "OPENAPI_REQUEST_FAILED",
      `${where} failed: ${(error as Error).message}.`,
      { source: settings.source },
      { cause: error, hint: `Check the service is reachable at ${settings.baseURL}.` },
    );
  }
  if (!response.ok) {
    const excerpt = text.replace(/\s+/g, " ").trim().slice(0, EXCERPT_MAX);
    throw new OpenApiSourceError(
      "OPENAPI_HTTP_ERROR",
      `${where} answered HTTP ${response.status} ${response.statusText}${excerpt ? `: ${excerpt}` : "."}`,
      { source: settings.source, status: response.status },
    );
  }
  if (text === "") return { status: response.status };
  const type = response.headers.get("content-type") ?? "";
  if (/json/i.test(type)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function scalar(value: unknown): string {
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
