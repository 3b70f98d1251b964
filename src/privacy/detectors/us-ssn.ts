import { type Detector, regexSpans } from "../span.js";

/**
 * SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000; not a known advertising number.
 * A 9xx area is an ITIN (a taxpayer number, as sensitive) or test data: `taxIdValid` accepts it.
 */
export function ssnValid(value: string): boolean {
  return taxIdValid(value) && value.replace(/\D/g, "")[0] !== "9";
}

/** `ssnValid`, also for the 9xx area (ITINs, and the synthetic numbers test data uses). */
export function taxIdValid(value: string): boolean {
  const digits = value.replace(/\D/g, "");
  if (digits.length !== 9) return false;
  const area = digits.slice(0, 3);
  const group = digits.slice(3, 5);
  const serial = digits.slice(5);
  if (area === "000" || area === "666") return false;
  if (group === "00" || serial === "0000") return false;
  // Famous invalid/sample numbers (Woolworth wallet card, SSA ads).
  if (digits === "078051120" || digits === "219099999" || digits === "123456789") return false;
  return true;
}

// Dashed or spaced 3-2-4 (consistent separator); bare 9 digits only after an SSN keyword.
const SSN = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;
const SSN_BARE = /\b(?:ssn|social security(?: number| no\.?)?)\s*(?:is|:|#|number)?\s*(\d{9})\b/gi;

export const usSsnDetector: Detector = {
  name: "us-ssn",
  detect: (text) => [
    ...regexSpans(text, SSN, "US_SSN", 0.85, ssnValid),
    ...regexSpans(text, SSN, "US_SSN", 0.75, (v) => taxIdValid(v) && !ssnValid(v)),
    ...regexSpans(text, SSN_BARE, "US_SSN", 0.8, taxIdValid, 1),
  ],
};
