import { generateWitnessKey, loadWitnessSigner, startWitnessServer } from "../../privacy/audit/index.js";
import { isVerifierKey, parseVerifierKey } from "../../privacy/audit/signed-note.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../exit-codes.js";

/** `flm witness keygen --name <name> --key <path>`: the witness's own key; prints its verifier key. */
export async function witnessKeygenCommand(
  options: { name?: string; key?: string; force?: boolean },
  io: CliIO,
) {
  if (!options.name || !options.key) {
    throw new UsageError(
      "flm witness keygen needs --name and --key.",
      "Usage: flm witness keygen --name witness.example.com/w1 --key witness.key",
    );
  }
  const out = generateWitnessKey(options.key, options.name, { overwrite: options.force });
  io.info(
    `Wrote ${out.path} (secret, mode 0600) and ${out.path}.pub. Give logs and auditors the verifier key:`,
  );
  io.print(out.vkey);
}

/** `--log <vkey>` (origin = the key's name) or `--log <origin>=<vkey>`. */
export function parseLogFlag(value: string): { origin: string; keys: string[] } {
  const eq = value.indexOf("=");
  const [origin, key] =
    eq > 0 && isVerifierKey(value.slice(eq + 1))
      ? [value.slice(0, eq), value.slice(eq + 1)]
      : [undefined, value];
  if (!isVerifierKey(key)) {
    throw new UsageError(
      `--log ${value}: not a verifier key.`,
      "Pass the log's verifier key (flm audit vkey prints it).",
    );
  }
  return { origin: origin ?? parseVerifierKey(key).name, keys: [key] };
}

/** `flm witness serve`: a C2SP tlog-witness on its own key and storage, until SIGINT/SIGTERM. */
export async function witnessServeCommand(
  options: { key?: string; db?: string; log?: string[]; port?: string; host?: string },
  io: CliIO,
): Promise<void> {
  if (!options.key || !options.db || !options.log?.length) {
    throw new UsageError(
      "flm witness serve needs --key, --db and at least one --log.",
      "Usage: flm witness serve --key witness.key --db witness.sqlite --log <log verifier key> [--port 7380]",
    );
  }
  const running = await startWitnessServer({
    signer: loadWitnessSigner(options.key),
    dbPath: options.db,
    logs: options.log.map(parseLogFlag),
    port: options.port !== undefined ? Number(options.port) : 7380,
    host: options.host ?? "127.0.0.1",
  });
  const info = running.witness.info();
  io.info(
    `flm witness ${info.name} listening on ${running.url} (logs: ${info.logs.map((l) => l.origin).join(", ")})`,
  );
  io.info(`verifier key: ${info.vkey}`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await running.close();
}
