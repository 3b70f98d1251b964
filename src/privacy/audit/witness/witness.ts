/**
 * The witness side of C2SP tlog-witness: verify a log's checkpoint signature, check that the old
 * size is what this witness last co-signed for that origin, verify the RFC 6962 consistency proof,
 * persist, then co-sign (C2SP tlog-cosignature v1). Transport-free; `witness-server.ts` serves it.
 */
import { type Hash, verifyConsistency } from "../merkle.js";
import {
  type NoteSigner,
  type NoteVerifier,
  parseNote,
  parseVerifierKey,
  signatureLine,
  verifiedSignatures,
} from "../signed-note.js";
import { parseCheckpoint } from "../tlog-checkpoint.js";
import { SIZE_CONTENT_TYPE } from "./witness-client.js";
import type { WitnessState } from "./witness-state.js";

export interface WitnessedLogConfig {
  origin: string;
  /** The log's verifier keys (`<origin>+<key ID>+<key>`); a checkpoint must verify with one. */
  keys: string[];
}

export interface WitnessAnswer {
  status: number;
  contentType: string;
  body: string;
}

const MAX_PROOF_LINES = 63;
const text = (status: number, body: string): WitnessAnswer => ({
  status,
  contentType: "text/plain; charset=utf-8",
  body: body.endsWith("\n") ? body : `${body}\n`,
});

export class Witness {
  private readonly logs = new Map<string, NoteVerifier[]>();

  constructor(
    readonly signer: NoteSigner,
    private readonly state: WitnessState,
    logs: WitnessedLogConfig[],
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const log of logs) {
      const verifiers = log.keys.map((k) => parseVerifierKey(k));
      this.logs.set(log.origin, [...(this.logs.get(log.origin) ?? []), ...verifiers]);
    }
  }

  /** `name`, cosignature verifier key and the logs this witness accepts (served at `GET /`). */
  info(): { name: string; vkey: string; logs: Array<{ origin: string; keys: string[]; size?: number }> } {
    return {
      name: this.signer.name,
      vkey: this.signer.verifier.vkey,
      logs: [...this.logs].map(([origin, vs]) => ({
        origin,
        keys: vs.map((v) => v.vkey),
        size: this.state.get(origin)?.size,
      })),
    };
  }

  /** The newest checkpoint co-signed for `origin`, with the log's signatures and the cosignature. */
  latest(origin: string): WitnessAnswer {
    const log = this.state.get(origin);
    return log ? text(200, log.checkpoint) : text(404, `No checkpoint of ${origin} was co-signed here.`);
  }

  addCheckpoint(body: string): WitnessAnswer {
    const req = parseRequest(body);
    if (typeof req === "string") return text(400, req);
    let note: ReturnType<typeof parseNote>;
    let cp: ReturnType<typeof parseCheckpoint>;
    try {
      note = parseNote(req.note);
      cp = parseCheckpoint(note.text);
    } catch (e) {
      return text(400, `Malformed checkpoint: ${(e as Error).message}`);
    }
    const verifiers = this.logs.get(cp.origin);
    if (!verifiers) return text(404, `Unknown log origin ${cp.origin}.`);
    let logSigs: ReturnType<typeof verifiedSignatures>;
    try {
      logSigs = verifiedSignatures(note, verifiers);
    } catch {
      logSigs = [];
    }
    if (logSigs.length === 0)
      return text(403, `The checkpoint is not signed by a key trusted for ${cp.origin}.`);
    if (req.oldSize > cp.size)
      return text(400, `old ${req.oldSize} is larger than the checkpoint size ${cp.size}.`);
    if (req.oldSize === 0 && req.proof.length > 0) return text(400, "The proof must be empty when old is 0.");

    return this.state.update(cp.origin, (current) => {
      const stored = current?.size ?? 0;
      if (req.oldSize !== stored) {
        return { result: { status: 409, contentType: SIZE_CONTENT_TYPE, body: `${stored}\n` } };
      }
      const storedRoot = current ? Buffer.from(current.rootHash, "base64") : undefined;
      if (req.oldSize === cp.size) {
        if (storedRoot && !storedRoot.equals(cp.rootHash)) {
          this.state.keepEvidence(cp.origin, `same size ${cp.size}, different root`, body);
          return {
            result: text(409, `Size ${cp.size} was co-signed with another root hash: the log forked.`),
          };
        }
      } else if (
        req.oldSize > 0 &&
        !verifyConsistency(req.oldSize, cp.size, storedRoot!, cp.rootHash, req.proof)
      ) {
        this.state.keepEvidence(
          cp.origin,
          `consistency proof ${req.oldSize} -> ${cp.size} does not verify`,
          body,
        );
        return {
          result: text(422, `The consistency proof from ${req.oldSize} to ${cp.size} does not verify.`),
        };
      }
      const at = this.now();
      const line = signatureLine(this.signer.name, this.signer.keyId, this.signer.sign(note.text, at));
      const logLines = logSigs.map((s) => s.line).join("");
      return {
        next: {
          origin: cp.origin,
          size: cp.size,
          rootHash: cp.rootHash.toString("base64"),
          checkpoint: `${note.text}\n${logLines}${line}`,
          updatedAt: at.toISOString(),
        },
        result: text(200, line),
      };
    });
  }
}

function parseRequest(body: string): { oldSize: number; proof: Hash[]; note: string } | string {
  const blank = body.indexOf("\n\n");
  if (blank < 0) return "The request needs an old size line, proof lines, an empty line and a checkpoint.";
  const head = body.slice(0, blank).split("\n");
  const m = /^old (0|[1-9][0-9]*)$/.exec(head[0] ?? "");
  if (!m || !Number.isSafeInteger(Number(m[1]))) return "The first line must be `old <size>`.";
  const lines = head.slice(1);
  if (lines.length > MAX_PROOF_LINES) return `At most ${MAX_PROOF_LINES} consistency proof lines.`;
  const proof: Hash[] = [];
  for (const l of lines) {
    const h = Buffer.from(l, "base64");
    if (h.length !== 32 || h.toString("base64") !== l)
      return "Each proof line is the base64 of a 32-byte hash.";
    proof.push(h);
  }
  return { oldSize: Number(m[1]), proof, note: body.slice(blank + 2) };
}
