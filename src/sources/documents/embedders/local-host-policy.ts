import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isPrivateAddress } from "../../../privacy/private-address.js";
import { DocumentError } from "../document-errors.js";

export { isPrivateAddress };

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
