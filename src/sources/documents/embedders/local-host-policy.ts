import { isPrivateAddress } from "../../../privacy/private-address.js";
import { createTrustPolicy, type ResolveHost } from "../../../privacy/trust-policy.js";
import { DocumentError } from "../document-errors.js";

export { isPrivateAddress };

/**
 * Refuses an embedding endpoint that the trust policy does not trust, unless `trusted` is set:
 * embedding a passage means sending its text, which must never go to a cloud service. Host names
 * are resolved and every address must be loopback or private.
 */
export async function assertLocalEndpoint(
  url: string,
  trusted: boolean | undefined,
  resolve?: ResolveHost,
): Promise<void> {
  if (trusted) return;
  const decision = await createTrustPolicy({ resolve }).checkUrl(url);
  if (decision.trusted) return;
  if (decision.why === "invalid-url") {
    throw new DocumentError("DOC_EMBEDDER_HOST_REFUSED", `Embedding endpoint "${url}" is not a valid URL.`, {
      hint: "Use e.g. http://127.0.0.1:11434 for Ollama.",
    });
  }
  if (decision.why === "unresolvable") {
    throw new DocumentError("DOC_EMBEDDER_FAILED", `Cannot resolve the embedding host: ${decision.detail}.`, {
      hint: "Check the host name, or use its IP address.",
    });
  }
  throw new DocumentError(
    "DOC_EMBEDDER_HOST_REFUSED",
    `Refusing to send passages to the embedding host: ${decision.detail}.`,
    {
      hint: "Embeddings must be computed on premises. Point it at a local server, or set trusted: true if this host is yours.",
    },
  );
}
