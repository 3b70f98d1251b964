import type { Detector, Span } from "../span.js";

const MONTHS =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const TIME = "(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?";
const PATTERNS: Array<{ re: RegExp; score: number; check?: (m: RegExpExecArray) => boolean }> = [
  // 1985-11-18, 1985-11-18 22:50:23, 1985-11-18T22:50:23Z
  { re: new RegExp(`(?<!\\d)(\\d{4})-(\\d{1,2})-(\\d{1,2})${TIME}(?!\\d)`, "g"), score: 0.85, check: ymd },
  // 3/13/1956, 13.03.1956, 13-03-1956 (day/month order unknown; both parts must be plausible)
  { re: /(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?!\d|[/.-]\d)/g, score: 0.8, check: dmy },
  // March 3, 1985 / 3 March 1985 / March 1985
  {
    re: new RegExp(
      `\\b(?:(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\.?,?\\s+\\d{4}|(?:${MONTHS})\\s+\\d{4})\\b`,
      "gi",
    ),
    score: 0.85,
  },
  // Weekdays and bare years are dates too (low confidence; allowed by the default policy).
  { re: /\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b/gi, score: 0.5 },
  { re: /(?<![\d.,/-])(?:19|20)\d{2}(?![\d.,/-]\d)(?!\d)/g, score: 0.35 },
];

function ymd(m: RegExpExecArray): boolean {
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

function dmy(m: RegExpExecArray): boolean {
  const a = Number(m[1]);
  const b = Number(m[3]);
  if (a < 1 || b < 1 || a > 31 || b > 31) return false;
  return a <= 12 || b <= 12;
}

const BIRTH = /\b(?:born|birth|dob|d\.o\.b|birthday|geboren|geb\.)\b[^.\n]{0,24}$/i;

/** Dates and times; a date right after "born", "DOB", "date of birth" is typed `DATE_OF_BIRTH`. */
export const dateTimeDetector: Detector = {
  name: "date-time",
  detect(text) {
    const spans: Span[] = [];
    for (const { re, score, check } of PATTERNS) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (check && !check(m)) continue;
        const start = m.index;
        const before = text.slice(Math.max(0, start - 40), start);
        const type = BIRTH.test(before) && score > 0.5 ? "DATE_OF_BIRTH" : "DATE_TIME";
        spans.push({ type, start, end: start + m[0].length, value: m[0], score });
      }
    }
    return spans;
  },
};
