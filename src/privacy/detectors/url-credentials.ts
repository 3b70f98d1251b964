import { type Detector, regexSpans } from "../span.js";

// scheme://user:password@host... (also user-only tokens like https://TOKEN@github.com)
const URL_CREDS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"'<>]+(?::[^\s/@"'<>]*)?@[^\s"'<>]+/gi;

/** URLs that carry credentials in their userinfo: connection strings, tokenized git remotes. */
export const urlCredentialsDetector: Detector = {
  name: "url-credentials",
  detect: (text) => regexSpans(text, URL_CREDS, "URL_CREDENTIALS", 0.95),
};
