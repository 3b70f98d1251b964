import { isIPv4, isIPv6 } from "node:net";
import { type Detector, regexSpans } from "../span.js";

const V4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)/g;
// Candidate v6: hex groups with colons (incl. "::" compression, optional trailing v4); validated by node:net.
const V6 = /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g;

export const ipAddressDetector: Detector = {
  name: "ip-address",
  detect: (text) => [
    // isIPv4 rejects octets > 255 and leading zeros ambiguity like "01.2.3.4".
    ...regexSpans(text, V4, "IP_ADDRESS", 0.9, (v) => isIPv4(v)),
    ...regexSpans(text, V6, "IP_ADDRESS", 0.9, (v) => v.length >= 6 && v !== "::" && isIPv6(v)),
  ],
};
