import type { Detector } from "../span.js";
import { acronymDetector } from "./acronym.js";
import { credentialDetector } from "./credential.js";
import { creditCardDetector } from "./credit-card.js";
import { cueNameDetector } from "./cue-names.js";
import { dateTimeDetector } from "./date-time.js";
import { emailDetector } from "./email.js";
import { handleDetector } from "./handle.js";
import { ibanDetector } from "./iban.js";
import { identifierDetector } from "./identifier.js";
import { ipAddressDetector } from "./ip-address.js";
import { createNerDetector } from "./ner.js";
import { phoneDetector } from "./phone.js";
import { createProductNameDetector } from "./product-names.js";
import { PUBLIC_WORDS } from "./public-vocabulary.js";
import { secretDetector } from "./secret.js";
import { streetAddressDetector } from "./street-address.js";
import { urlDetector } from "./url.js";
import { urlCredentialsDetector } from "./url-credentials.js";
import { usSsnDetector } from "./us-ssn.js";

export {
  acronymDetector,
  credentialDetector,
  cueNameDetector,
  handleDetector,
  identifierDetector,
  urlDetector,
  createNerDetector,
  creditCardDetector,
  dateTimeDetector,
  emailDetector,
  ibanDetector,
  ipAddressDetector,
  phoneDetector,
  secretDetector,
  streetAddressDetector,
  urlCredentialsDetector,
  usSsnDetector,
};
export type { NerDetectorOptions } from "./ner.js";
export {
  createOffThreadNer,
  DEFAULT_NER_TIMEOUT_MS,
  type OffThreadNer,
  type OffThreadNerOptions,
} from "./off-thread-ner.js";
export { luhnValid } from "./credit-card.js";
export { ibanValid } from "./iban.js";
export { ssnValid } from "./us-ssn.js";
export { entropy } from "./secret.js";
export { COMMON_ACRONYMS } from "./common-acronyms.js";

/** The checksum/pattern detectors: fast (well under 1 ms for a typical prompt), no NER. */
export function structuredDetectors(): Detector[] {
  return [
    emailDetector,
    urlCredentialsDetector,
    secretDetector,
    creditCardDetector,
    ibanDetector,
    usSsnDetector,
    ipAddressDetector,
    phoneDetector,
    dateTimeDetector,
    streetAddressDetector,
    urlDetector,
    handleDetector,
    credentialDetector,
    identifierDetector,
  ];
}

/**
 * Structured detectors plus NER (names, organisations, places), names found by their cues in
 * lower-case text, uncommon acronyms and product/project names (these use the word lists); NER
 * costs ~1-3 ms per prompt.
 */
export function defaultDetectors(): Detector[] {
  return [
    ...structuredDetectors(),
    createNerDetector(),
    cueNameDetector,
    acronymDetector,
    createProductNameDetector(PUBLIC_WORDS),
  ];
}
