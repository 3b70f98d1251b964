import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { DocumentError } from "../document-errors.js";

/** Loopback, RFC 1918 / unique-local, link-local and CGNAT ranges: addresses that cannot be a public cloud. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "").toLowerCase();
  const v4 = ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  if (isIP(v4) === 4) {
    const [a, b] = v4.split(".").map(Number);
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(ip) === 6) return ip === "::1" || /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip);
  return false;
}

/**
 * Refuses an embedding endpoint that is not loopback or private, unless `trusted` is set:
 * embedding a passage means sending its text, which must never go to a cloud service.
 * Host names are resolved and every address must be private.
 */
export async function assertLocalEndpoint(url: string, trusted: boolean | undefined): Promise<void> {
  if (trusted) return;
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  } catch (cause) {
    throw new DocumentError("DOC_EMBEDDER_HOST_REFUSED", `Embedding endpoint "${url}" is not a valid URL.`, {
      cause,
      hint: "Use e.g. http://127.0.0.1:11434 for Ollama.",
    });
  }
  if (host === "localhost" || host.endsWith(".localhost")) return;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((entry) => entry.address);
    } catch (cause) {
      throw new DocumentError("DOC_EMBEDDER_FAILED", `Cannot resolve embedding host "${host}".`, {
        cause,
        hint: "Check the host name, or use its IP address.",
      });
    }
  }
  const publicAddress = addresses.find((address) => !isPrivateAddress(address));
  if (publicAddress !== undefined || addresses.length === 0) {
    throw new DocumentError(
      "DOC_EMBEDDER_HOST_REFUSED",
      `Refusing to send passages to embedding host "${host}" (${publicAddress ?? "no address"} is not a loopback or private address).`,
      {
        hint: "Embeddings must be computed on premises. Point it at a local server, or set trusted: true if this host is yours.",
      },
    );
  }
}
