import { defaultDetectors } from "../detectors/index.js";
import { createPseudonymizer, type Pseudonymizer, type PseudonymizerOptions } from "../pseudonymizer.js";
import { unsafeRuns } from "./allow-list.js";
import { englishVocabulary, type ScowlLevel } from "./vocabulary.js";

export interface StrictPseudonymizerOptions extends Omit<PseudonymizerOptions, "complete"> {
  /** Words and phrases that may always go out (`privacy.allowTerms`); case-insensitive. */
  allowTerms?: Iterable<string>;
  /** SCOWL size level of the English vocabulary that goes out as it is. Default 40. */
  scowlLevel?: ScowlLevel;
  /** Keep amounts after a currency sign or before a currency word ("$85000"). Default true. */
  amounts?: boolean;
}

/**
 * Allow-list pseudonymization: the detectors run first (typed placeholders: `<PERSON_1>`,
 * `<EMAIL_1>`, `<URL_1>`, values from the data), then every word that is not common English, a
 * word of the bound tool specs, an allowed term or a plain quantity becomes `<TERM_n>`, `<ID_n>`
 * or `<HANDLE_n>`. The default detectors include NER.
 */
export function createStrictPseudonymizer(options: StrictPseudonymizerOptions = {}): Pseudonymizer {
  const allowTerms = new Set<string>();
  for (const term of options.allowTerms ?? [])
    for (const w of term.toLowerCase().split(/[^\p{L}\p{N}\p{M}'’]+/u)) if (w) allowTerms.add(w);
  const list = {
    words: englishVocabulary(options.scowlLevel ?? 40),
    core: englishVocabulary(20),
    amounts: options.amounts,
  };
  return createPseudonymizer({
    ...options,
    detectors: options.detectors ?? defaultDetectors(),
    complete(text, detected, context) {
      const extra = context.publicTerms;
      const publicTerms = extra && extra.size > 0 ? new Set([...allowTerms, ...extra]) : allowTerms;
      return unsafeRuns(text, detected, list, { publicTerms });
    },
  });
}
