import { type Detector, regexSpans } from "../span.js";

// Local part per RFC 5322 "dot-atom" (no quoted strings), domain with a letter TLD.
const EMAIL =
  /(?<![\w.+-])[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;

export const emailDetector: Detector = {
  name: "email",
  detect: (text) => regexSpans(text, EMAIL, "EMAIL", 0.99, (v) => v.length <= 254 && v.indexOf("@") <= 64),
};
