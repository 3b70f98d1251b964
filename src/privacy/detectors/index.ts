import type { Detector } from "../span.js";
import { creditCardDetector } from "./credit-card.js";
import { dateTimeDetector } from "./date-time.js";
import { emailDetector } from "./email.js";
import { ibanDetector } from "./iban.js";
import { ipAddressDetector } from "./ip-address.js";
import { createNerDetector } from "./ner.js";
import { phoneDetector } from "./phone.js";
import { secretDetector } from "./secret.js";
import { streetAddressDetector } from "./street-address.js";
import { urlCredentialsDetector } from "./url-credentials.js";
import { usSsnDetector } from "./us-ssn.js";

export {
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
export { luhnValid } from "./credit-card.js";
export { ibanValid } from "./iban.js";
export { ssnValid } from "./us-ssn.js";
export { entropy } from "./secret.js";

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
  ];
}

/** Structured detectors plus NER (names, organisations, places); NER costs ~1-3 ms per prompt. */
export function defaultDetectors(): Detector[] {
  return [...structuredDetectors(), createNerDetector()];
}
