import { defaultDetectors, structuredDetectors } from "../../src/privacy/detectors/index.js";
import { PlaceholderVault } from "../../src/privacy/placeholder-vault.js";
import { createPseudonymizer, type Pseudonymizer } from "../../src/privacy/pseudonymizer.js";
import { createStrictPseudonymizer } from "../../src/privacy/strict/strict-pseudonymizer.js";
import type { ScowlLevel } from "../../src/privacy/strict/vocabulary.js";

/** The configurations the eval compares: standard without NER, standard (NER on, the default), strict. */
export type PrivacyMode = "standard-structured" | "standard" | "strict";

const cache = new Map<PrivacyMode, Pseudonymizer>();

function pseudonymizerFor(mode: PrivacyMode): Pseudonymizer {
  let p = cache.get(mode);
  if (!p) {
    if (mode === "standard-structured") p = createPseudonymizer({ detectors: structuredDetectors() });
    else if (mode === "standard") p = createPseudonymizer({ detectors: defaultDetectors() });
    else
      p = createStrictPseudonymizer({ scowlLevel: Number(process.env.FLM_SCOWL_LEVEL ?? 40) as ScowlLevel });
    cache.set(mode, p);
  }
  return p;
}

/** Pseudonymizes one prompt in a fresh conversation: the cloud text and the replaced ranges. */
export function pseudonymizeForEval(
  mode: PrivacyMode,
  text: string,
): { text: string; replaced: Array<{ start: number; end: number }> } {
  const result = pseudonymizerFor(mode).pseudonymize(text, new PlaceholderVault());
  return { text: result.text, replaced: result.spans };
}
