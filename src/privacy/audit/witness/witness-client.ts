/**
 * Client side of the C2SP tlog-witness protocol (https://c2sp.org/tlog-witness): `add-checkpoint`
 * with the old size, a consistency proof and the signed checkpoint; plus flm's read endpoints for
 * auditors (the spec leaves monitor retrieval open): `GET /checkpoint?origin=` and `GET /`.
 */
import { AuditWitnessError } from "../audit-errors.js";
import type { Hash } from "../merkle.js";
import { type NoteSignature, type NoteVerifier, parseNote, parseSignatureLine } from "../signed-note.js";

export const SIZE_CONTENT_TYPE = "text/x.tlog.size";

export interface WitnessRequestOptions {
  fetch?: typeof fetch;
  /** Per request (default 10 s). */
  timeoutMs?: number;
}

export type AddCheckpointResult =
  /** The witness co-signed: its verified cosignature lines. */
  | { status: "cosigned"; signatures: NoteSignature[] }
  /** 409 with the size of the latest checkpoint the witness co-signed for this origin. */
  | { status: "conflict"; size: number };

/** Joins a witness URL (the submission or monitoring prefix) and a path. */
export function witnessUrl(base: string, path: string): string {
  const u = new URL(base);
  u.hash = "";
  u.pathname = `${u.pathname.replace(/\/+$/, "")}${path}`;
  return u.toString();
}

async function request(url: string, init: RequestInit, options: WitnessRequestOptions): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  try {
    return await doFetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  } catch (cause) {
    const timedOut = (cause as { name?: string })?.name === "TimeoutError";
    throw new AuditWitnessError(
      `Witness ${new URL(url).origin} ${timedOut ? "timed out" : "is unreachable"}.`,
      {
        cause,
        hint: "Check that the witness is running and reachable; appends continue and the checkpoint is sent again later.",
      },
    );
  }
}

export function addCheckpointBody(oldSize: number, proof: Hash[], note: string): string {
  return `old ${oldSize}\n${proof.map((h) => `${h.toString("base64")}\n`).join("")}\n${note}`;
}

/**
 * Submits `note` (a signed checkpoint) with a consistency proof from `oldSize`. Resolves with the
 * witness's cosignatures (verified with `verifier` against the checkpoint text) or its 409 size;
 * every other answer is an AuditWitnessError carrying the HTTP status.
 */
export async function addCheckpoint(
  url: string,
  oldSize: number,
  proof: Hash[],
  note: string,
  verifier: NoteVerifier,
  options: WitnessRequestOptions = {},
): Promise<AddCheckpointResult> {
  const res = await request(
    witnessUrl(url, "/add-checkpoint"),
    {
      method: "POST",
      body: addCheckpointBody(oldSize, proof, note),
      headers: { "content-type": "text/plain" },
    },
    options,
  );
  const text = await res.text().catch(() => "");
  if (res.status === 200) {
    const lines = text.split("\n").filter((l) => l !== "");
    const text0 = parseNote(note).text;
    const signatures = lines
      .map((l) => {
        try {
          return parseSignatureLine(l);
        } catch {
          return undefined;
        }
      })
      .filter(
        (s): s is NoteSignature => s !== undefined && s.name === verifier.name && s.keyId === verifier.keyId,
      );
    const good = signatures.filter((s) => verifier.verify(text0, s.signature));
    if (good.length === 0) {
      throw new AuditWitnessError(
        `Witness ${verifier.name} answered without a valid cosignature by its key.`,
        {
          status: 200,
          hint: "Check the witness key configured for this URL (audit.witnesses[].key): it must be the witness's verifier key.",
        },
      );
    }
    return { status: "cosigned", signatures: good };
  }
  if (res.status === 409 && (res.headers.get("content-type") ?? "").startsWith(SIZE_CONTENT_TYPE)) {
    const size = Number(text.trim());
    if (Number.isSafeInteger(size) && size >= 0) return { status: "conflict", size };
  }
  throw new AuditWitnessError(
    `Witness ${verifier.name} refused the checkpoint: ${describeRefusal(res.status, text)}`,
    {
      status: res.status,
      hint: refusalHint(res.status),
    },
  );
}

function describeRefusal(status: number, text: string): string {
  const said = text.trim().slice(0, 300);
  const what: Record<number, string> = {
    400: "malformed request",
    403: "the checkpoint is not signed by a key the witness trusts for this log",
    404: "the witness does not know this log's origin",
    409: "the checkpoint conflicts with what the witness co-signed (same size, other root): the log forked",
    422: "the consistency proof does not verify: the log is not an extension of what the witness co-signed",
  };
  return `HTTP ${status} (${what[status] ?? "unexpected answer"})${said ? `: ${said}` : ""}`;
}

function refusalHint(status: number): string {
  if (status === 403) {
    return "Configure the witness with this log's verifier key (flm audit vkey); if the log key changed, the witness is right to refuse.";
  }
  if (status === 404)
    return "Add this log to the witness (flm witness serve --log <the log's verifier key>).";
  if (status === 409 || status === 422) {
    return "The log was rolled back, replaced or rewritten since the witness last co-signed it: run flm audit verify --witness <url>.";
  }
  return "Appends continue; the checkpoint is sent again later.";
}

/** The newest checkpoint the witness co-signed for `origin` (note with its cosignature), if any. */
export async function fetchWitnessedCheckpoint(
  url: string,
  origin: string,
  options: WitnessRequestOptions = {},
): Promise<string | undefined> {
  const res = await request(
    `${witnessUrl(url, "/checkpoint")}?origin=${encodeURIComponent(origin)}`,
    {},
    options,
  );
  if (res.status === 404) return undefined;
  const text = await res.text();
  if (res.status !== 200) {
    throw new AuditWitnessError(`Witness at ${url} answered HTTP ${res.status} for the latest checkpoint.`, {
      status: res.status,
      hint: "Check the witness URL (it is the prefix of /add-checkpoint).",
    });
  }
  return text;
}

export interface WitnessInfo {
  name: string;
  /** The witness's cosignature verifier key. */
  vkey: string;
  logs: Array<{ origin: string; keys: string[] }>;
}

export async function fetchWitnessInfo(
  url: string,
  options: WitnessRequestOptions = {},
): Promise<WitnessInfo> {
  const res = await request(witnessUrl(url, "/"), { headers: { accept: "application/json" } }, options);
  const body = (await res.json().catch(() => undefined)) as WitnessInfo | undefined;
  if (res.status !== 200 || typeof body?.vkey !== "string" || typeof body?.name !== "string") {
    throw new AuditWitnessError(`${url} does not look like an flm witness (HTTP ${res.status}).`, {
      status: res.status,
      hint: "Pass the witness's verifier key with the URL: --witness '<url>#<vkey>'.",
    });
  }
  return body;
}
