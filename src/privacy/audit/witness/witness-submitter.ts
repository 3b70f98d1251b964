/**
 * Sends the log's newest tree head to each configured witness in the background, with a
 * consistency proof from the size that witness last co-signed, and stores the cosignatures. A
 * witness that is down or refuses never blocks or fails an append: the error is reported, the
 * submission retried with backoff, and `flm audit verify` shows how far behind the witness is.
 */
import { AuditWitnessError } from "../audit-errors.js";
import type { AuditStore } from "../audit-store.js";
import { consistencyProof } from "../merkle.js";
import { cosignatureTime, type NoteVerifier, parseNote, parseVerifierKey } from "../signed-note.js";
import { proofHasher } from "../store-tree.js";
import type { StoredTreeHead } from "../tree-head.js";
import { addCheckpoint, type WitnessRequestOptions } from "./witness-client.js";

export interface WitnessConfig {
  /** The witness's submission prefix (POST <url>/add-checkpoint). */
  url: string;
  /** The witness's cosignature verifier key, `<name>+<key ID>+<key>`. */
  key: string;
}

export interface WitnessStatus {
  url: string;
  name: string;
  /** The largest tree size this witness is known to have co-signed for the log. */
  size?: number;
  /** When it co-signed it. */
  cosignedAt?: string;
  lastError?: { code: string; message: string; status?: number; at: string };
}

interface WitnessState {
  url: string;
  verifier: NoteVerifier;
  size?: number;
  cosignedAt?: string;
  lastError?: WitnessStatus["lastError"];
  running?: Promise<void>;
  again: boolean;
  backoffMs: number;
  timer?: NodeJS.Timeout;
}

export interface WitnessSubmitterOptions extends WitnessRequestOptions {
  /** Reported for every failed submission (default: a process warning). */
  onError?: (error: unknown, witness: WitnessStatus) => void;
  /** Retry delays: doubling from `minRetryMs` (default 1 s) up to `maxRetryMs` (default 60 s). */
  minRetryMs?: number;
  maxRetryMs?: number;
}

export class WitnessSubmitter {
  private readonly states: WitnessState[];
  private loaded?: Promise<void>;
  private closed = false;

  constructor(
    private readonly store: AuditStore,
    witnesses: WitnessConfig[],
    private readonly options: WitnessSubmitterOptions = {},
  ) {
    this.states = witnesses.map((w) => ({
      url: w.url,
      verifier: parseVerifierKey(w.key),
      again: false,
      backoffMs: options.minRetryMs ?? 1000,
    }));
  }

  get size(): number {
    return this.states.length;
  }

  /** A new tree head may exist: submit it to every witness (coalesced, never awaited by appends). */
  notify(): void {
    if (this.closed) return;
    for (const s of this.states) void this.kick(s);
  }

  /** Waits until every witness has been tried with the newest tree head (not for retries). */
  async flush(): Promise<void> {
    await Promise.all(this.states.map((s) => this.kick(s)));
  }

  status(): WitnessStatus[] {
    return this.states.map((s) => ({
      url: s.url,
      name: s.verifier.name,
      size: s.size,
      cosignedAt: s.cosignedAt,
      lastError: s.lastError,
    }));
  }

  close(): void {
    this.closed = true;
    for (const s of this.states) if (s.timer) clearTimeout(s.timer);
  }

  /** What each witness co-signed before this process started, from the stored cosignatures. */
  private load(): Promise<void> {
    this.loaded ??= (async () => {
      for (const s of this.states) {
        const latest = await this.store.latestCosignature(s.verifier.name, hex8(s.verifier.keyId));
        if (latest && (s.size === undefined || latest.size > s.size)) {
          s.size = latest.size;
          s.cosignedAt = latest.at;
        }
      }
    })().catch((e) => {
      this.loaded = undefined;
      throw e;
    });
    return this.loaded;
  }

  private kick(s: WitnessState): Promise<void> {
    if (s.running) {
      s.again = true;
      return s.running;
    }
    s.running = (async () => {
      try {
        do {
          s.again = false;
          await this.submitLatest(s);
        } while (s.again && !this.closed);
        s.backoffMs = this.options.minRetryMs ?? 1000;
      } catch (error) {
        this.fail(s, error);
      } finally {
        s.running = undefined;
      }
    })();
    return s.running;
  }

  private fail(s: WitnessState, error: unknown): void {
    const e = error as { code?: string; message?: string; status?: number };
    s.lastError = {
      code: e?.code ?? "AUDIT_WITNESS_FAILED",
      message: e?.message ?? String(error),
      status: e?.status,
      at: new Date().toISOString(),
    };
    const report =
      this.options.onError ??
      ((err: unknown) =>
        process.emitWarning(`flm audit: witness ${s.verifier.name}: ${(err as Error)?.message ?? err}`));
    report(error, this.status().find((x) => x.url === s.url)!);
    if (this.closed) return;
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      void this.kick(s);
    }, s.backoffMs);
    s.timer.unref();
    s.backoffMs = Math.min(s.backoffMs * 2, this.options.maxRetryMs ?? 60_000);
  }

  private async submitLatest(s: WitnessState): Promise<void> {
    await this.load();
    const head = await this.store.latestTreeHead();
    if (!head || (s.size !== undefined && s.size >= head.size && s.cosignedAt !== undefined)) {
      if (head && s.size !== undefined && s.size > head.size) throw ahead(s, head);
      return;
    }
    let old = s.size ?? 0;
    let latest = head;
    // The witness's 409 teaches its size; other writers of the log may move it on meanwhile.
    for (let attempt = 0; attempt < 6; attempt++) {
      if (old > latest.size) {
        latest = (await this.store.latestTreeHead()) ?? latest;
        if (old > latest.size) {
          s.size = old;
          throw ahead(s, latest);
        }
      }
      const proof = await consistencyProof(old, latest.size, await proofHasher(this.store, old, latest.size));
      const res = await addCheckpoint(s.url, old, proof, latest.note, s.verifier, this.options);
      if (res.status === "cosigned") {
        await this.keep(
          s,
          latest,
          res.signatures.map((sig) => sig.line),
        );
        return;
      }
      old = res.size;
    }
    throw new AuditWitnessError(`Witness ${s.verifier.name} keeps answering 409 for size ${latest.size}.`, {
      status: 409,
      hint: "Other writers of this log are submitting concurrently; it is retried later.",
    });
  }

  private async keep(s: WitnessState, head: StoredTreeHead, lines: string[]): Promise<void> {
    const text = parseNote(head.note).text;
    for (const line of lines) {
      const sig = parseNote(`${text}\n${line}`).signatures[0];
      const at = (cosignatureTime(sig.signature) ?? new Date()).toISOString();
      await this.store.appendCosignature({
        treeHeadId: head.id,
        witness: sig.name,
        keyId: hex8(sig.keyId),
        line: sig.line,
        at,
      });
      s.cosignedAt = at;
    }
    s.size = head.size;
    s.lastError = undefined;
  }
}

function ahead(s: WitnessState, head: StoredTreeHead): AuditWitnessError {
  return new AuditWitnessError(
    `Witness ${s.verifier.name} has co-signed ${s.size} records of this log, but its newest checkpoint covers only ${head.size}: the log was rolled back, truncated or replaced.`,
    {
      status: 409,
      hint: "Run flm audit verify --witness <url> and restore the complete log; a witness never co-signs a smaller or forked log.",
    },
  );
}

const hex8 = (id: number) => id.toString(16).padStart(8, "0");
