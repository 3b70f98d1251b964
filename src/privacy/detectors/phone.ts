import type { Detector, Span } from "../span.js";

/*
 * International and national formats without a country hint: "+41 (0)85 806 98 67",
 * "(579)888-3058", "001-518-640-0854", "0688 872 49 99", "03.93.92.16.85", "+1-903-140-4508x769".
 * A strict library (libphonenumber) needs the caller's country and rejects many real local numbers,
 * so this is a structural check: digit groups with consistent separators, 7-15 digits in total.
 */
const PHONE =
  /(?<![\w+.-])(?:(?:\+|00)\d{1,3}[ .-]?(?:\(0\)[ .-]?)?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,12}(?:[ .-]\d{1,8}){0,5}(?:[ ]?(?:x|ext\.?|#)[ ]?\d{1,5})?(?![\w]|[.-]\d)/gi;
const DATE_LIKE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}|^\d{1,2}[-./]\d{1,2}[-./]\d{4}$/;
const IPV4_LIKE = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function plausible(value: string): number {
  const main = value.replace(/(?:x|ext\.?|#)\s?\d+$/i, "");
  const digits = main.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return 0;
  if (DATE_LIKE.test(main) || IPV4_LIKE.test(main)) return 0;
  if (/^(\d)\1+$/.test(digits)) return 0;
  const international = /^(?:\+|00)/.test(main);
  const grouped = /[ .()-]/.test(main.trim());
  if (international) return 0.75;
  if (!grouped) return digits.length >= 10 && digits.length <= 11 ? 0.45 : 0;
  // Separators must be consistent-ish: mixing "." and "-" in one number is rare ("1.2-3").
  const seps = new Set(main.replace(/[\d()\s]/g, ""));
  if (seps.size > 1) return 0;
  // Lots of short groups of 1 digit are more likely lists than phones.
  if (/(?:^|[ .-])\d(?:[ .-]\d){2,}/.test(main)) return 0;
  return 0.6;
}

export const phoneDetector: Detector = {
  name: "phone",
  detect(text) {
    const spans: Span[] = [];
    PHONE.lastIndex = 0;
    for (let m = PHONE.exec(text); m !== null; m = PHONE.exec(text)) {
      const value = m[0].replace(/[ .-]+$/, "");
      const score = plausible(value);
      if (score > 0) spans.push({ type: "PHONE", start: m.index, end: m.index + value.length, value, score });
    }
    return spans;
  },
};
