import { type Detector, regexSpans } from "../span.js";

/** Luhn (mod 10) check over the digits of `value`. */
export function luhnValid(value: string): boolean {
  const digits = value.replace(/\D/g, "");
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

// 12-19 digits, optionally grouped by single spaces or dashes (4-4-4-4, 4-6-5, ...).
const CARD = /(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d-])/g;

export const creditCardDetector: Detector = {
  name: "credit-card",
  detect: (text) =>
    regexSpans(text, CARD, "CREDIT_CARD", 0.9, (v) => {
      const digits = v.replace(/\D/g, "");
      // All-same digits pass Luhn trivially ("0000 0000 0000") but are never cards.
      return luhnValid(digits) && !/^(\d)\1+$/.test(digits);
    }),
};
