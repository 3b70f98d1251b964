import { type Detector, regexSpans, type Span } from "../span.js";

/*
 * URLs and bare domains. A URL with a scheme or `www.` is taken whole (path, query, port). A bare
 * `name.tld` needs a top-level domain from the list below, so file names (`main.py`, `README.md`,
 * `package.json`) and abbreviations (`e.g.`) are not domains; with a path (`shop.example.de/x`)
 * any two-letter country code counts.
 */
const TLDS =
  "com|net|org|io|co|app|dev|ai|me|info|biz|shop|store|online|site|tech|xyz|cloud|page|blog|edu|gov|tv|fm|gg|ly|uk|de|fr|es|it|nl|pl|ru|ch|at|be|se|no|dk|fi|pt|gr|cz|eu|us|ca|au|nz|jp|cn|kr|in|br|mx|ar|ie|lu|hu|ro|sk|si|hr|bg|lt|lv|ee|ua|tr|il|za|sg|hk|tw|vn|th|id|my|ph|sa|ae|qa|eg|ma|ng|ke|cl|pe|uy|is|email|agency|studio|design|digital|network|systems|solutions|services|company|рф";
const LABEL = "[\\p{Script=Latin}\\p{N}](?:[\\p{Script=Latin}\\p{N}-]{0,61}[\\p{Script=Latin}\\p{N}])?";
/** Path characters: not spaces, quotes, closing brackets, or text of scripts written without spaces. */
const PATH =
  "[^\\s<>\"'`)\\]}，。、！？\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}]";
const WITH_SCHEME = new RegExp(`\\b(?:https?|ftp|ssh|git|wss?|s3|file)://${PATH}+`, "giu");
// Boundaries are Latin letters and digits: in "登录www.example.co.uk总是" the URL ends before "总".
const WWW = new RegExp(
  `(?<![\\p{Script=Latin}\\p{N}.@/-])www\\.(?:${LABEL}\\.)+${LABEL}(?::\\d{2,5})?(?:/${PATH}*)?`,
  "giu",
);
const BARE = new RegExp(
  `(?<![\\p{Script=Latin}\\p{N}.@/_-])(?:${LABEL}\\.)+(?:${TLDS})(?::\\d{2,5})?(?:/${PATH}*)?(?![\\p{Script=Latin}\\p{N}_@-])`,
  "giu",
);
const BARE_WITH_PATH = new RegExp(
  `(?<![\\p{Script=Latin}\\p{N}.@/_-])(?:${LABEL}\\.)+[a-z]{2}(?::\\d{2,5})?/${PATH}+`,
  "giu",
);

/** Trailing sentence punctuation is not part of a URL ("see example.com."). */
function trim(spans: Span[]): Span[] {
  for (const s of spans) {
    while (/[.,;:!?'")\]]$/.test(s.value)) {
      s.value = s.value.slice(0, -1);
      s.end--;
    }
  }
  return spans.filter((s) => s.value.includes("."));
}

export const urlDetector: Detector = {
  name: "url",
  detect(text) {
    if (text.indexOf(".") === -1 && text.indexOf("://") === -1) return [];
    return trim([
      ...regexSpans(text, WITH_SCHEME, "URL", 0.9),
      ...regexSpans(text, WWW, "URL", 0.9),
      ...regexSpans(text, BARE, "URL", 0.85),
      ...regexSpans(text, BARE_WITH_PATH, "URL", 0.8),
    ]);
  },
};
