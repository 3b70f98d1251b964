import { createHash } from "node:crypto";
import type { EgressRecord } from "../core/egress-record.js";
import { currentPurpose } from "../core/run-scope.js";
import { isFlmError } from "../errors/flm-error.js";
import { EgressBlockedError, type EgressHit } from "./privacy-errors.js";
import { scanBody } from "./scan-body.js";
import type { TaintScanner } from "./taint-index.js";

export type { EgressRecord };

export interface EgressGuardOptions {
  /** Called per request: the taint indexes to check against (conversation, vault, canaries, ...). */
  taint: () => readonly TaintScanner[];
  /** Audit hook; called for allowed and blocked requests. An error here blocks the request. */
  onEgress?: (record: EgressRecord) => void | Promise<void>;
  /** The real fetch; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

export interface EgressGuard {
  /** Hand this to the provider: `createOpenAI({ fetch: guard.fetch })`. */
  fetch: typeof fetch;
}

/** Reads the exact outgoing bytes; throws on anything it cannot buffer faithfully. */
async function readBody(input: RequestInfo | URL, init?: RequestInit): Promise<Uint8Array | undefined> {
  const body = init && "body" in init ? init.body : input instanceof Request ? input.body : undefined;
  if (body === undefined || body === null) {
    if (input instanceof Request && input.body !== null && !(init && "body" in init)) {
      return new Uint8Array(await input.clone().arrayBuffer());
    }
    return undefined;
  }
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof URLSearchParams) return new TextEncoder().encode(body.toString());
  if (typeof Blob !== "undefined" && body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  if (body instanceof ReadableStream) {
    const chunks: Uint8Array[] = [];
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) throw new TypeError("stream chunk is not bytes");
      chunks.push(value);
    }
    return Buffer.concat(chunks);
  }
  throw new TypeError(`unsupported body type ${Object.prototype.toString.call(body)}`);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "unknown-host";
  }
}

/**
 * The single choke point for cloud egress: a `fetch` wrapper that buffers the exact outgoing body,
 * scans it against all taint indexes, and only then sends those same bytes. Fails closed: a body it
 * cannot read, a scanner error or an audit-hook error blocks the request with `EgressBlockedError`.
 */
export function createEgressGuard(options: EgressGuardOptions): EgressGuard {
  const realFetch = options.fetch ?? globalThis.fetch;

  const guarded = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const host = hostOf(url);
    let bytes: Uint8Array | undefined;
    let body = "";
    let hits: EgressHit[];
    try {
      bytes = await readBody(input, init);
      body = bytes ? new TextDecoder("utf-8", { fatal: false }).decode(bytes) : "";
      hits = scanBody(body, options.taint());
    } catch (cause) {
      const record = makeRecord(url, host, body, bytes, "blocked", []);
      await Promise.resolve(options.onEgress?.(record)).catch(() => undefined);
      throw new EgressBlockedError(host, [], { cause, reason: "a body the guard could not inspect" });
    }
    const decision = hits.length > 0 ? "blocked" : "allowed";
    const record = makeRecord(url, host, body, bytes, decision, hits);
    try {
      await options.onEgress?.(record);
    } catch (cause) {
      // No audit record, no egress. An audit store that is locked, down or failing is an outage,
      // not a privacy decision: it keeps its own typed error (503, retry), and nothing is sent.
      if (isAuditStoreError(cause)) throw cause;
      throw new EgressBlockedError(host, [], { cause, reason: "a request the audit hook failed to record" });
    }
    if (decision === "blocked") throw new EgressBlockedError(host, hits);

    if (input instanceof Request) {
      const { method, headers, signal } = input;
      return realFetch(input.url, { method, headers, signal, ...init, body: bytes as BodyInit | undefined });
    }
    return realFetch(input, bytes === undefined ? init : { ...init, body: bytes as BodyInit });
  };

  return { fetch: guarded as typeof fetch };
}

function makeRecord(
  url: string,
  host: string,
  body: string,
  bytes: Uint8Array | undefined,
  decision: "allowed" | "blocked",
  hits: EgressHit[],
): EgressRecord {
  const data = bytes ?? new Uint8Array();
  return {
    url,
    host,
    purpose: currentPurpose(),
    body,
    bytes: data.byteLength,
    sha256: createHash("sha256").update(data).digest("hex"),
    decision,
    hits,
    at: new Date().toISOString(),
  };
}

function isAuditStoreError(error: unknown): boolean {
  return isFlmError(error, "AUDIT_STORE_UNAVAILABLE") || isFlmError(error, "AUDIT_STORE_FAILED");
}
