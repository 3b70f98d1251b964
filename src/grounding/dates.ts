/**
 * Dates as a reader means them: `2024-03-05`, `2024-03-05T10:30`, `03/05/2024` (either order),
 * `5 March 2024`, `March 5th, 2024`, `Mar 5` (no year) and `March 2024` (no day).
 */

export interface DateMention {
  /** Candidate days as `YYYY-MM-DD`; `--MM-DD` when the year is not written; `YYYY-MM` without a day. */
  keys: string[];
  start: number;
  end: number;
  text: string;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH =
  "(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
const DAY = "(\\d{1,2})(?:st|nd|rd|th)?";

const PATTERNS: Array<{ re: RegExp; keys: (m: RegExpMatchArray) => string[] }> = [
  {
    re: /(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)/g,
    keys: (m) => [ymd(m[1]!, m[2]!, m[3]!)],
  },
  {
    re: /(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?![\d/])/g,
    keys: (m) => [ymd(m[3]!, m[1]!, m[2]!), ymd(m[3]!, m[2]!, m[1]!)],
  },
  {
    re: new RegExp(`\\b${DAY}\\s+(?:of\\s+)?${MONTH},?\\s+(\\d{4})\\b`, "gi"),
    keys: (m) => [ymd(m[3]!, month(m[2]!), m[1]!)],
  },
  {
    re: new RegExp(`\\b${MONTH}\\s+${DAY},?\\s+(\\d{4})\\b`, "gi"),
    keys: (m) => [ymd(m[3]!, month(m[1]!), m[2]!)],
  },
  { re: new RegExp(`\\b${MONTH}\\s+${DAY}\\b(?!\\d)`, "gi"), keys: (m) => [md(month(m[1]!), m[2]!)] },
  { re: new RegExp(`\\b${DAY}\\s+(?:of\\s+)?${MONTH}\\b`, "gi"), keys: (m) => [md(month(m[2]!), m[1]!)] },
  { re: new RegExp(`\\b${MONTH},?\\s+(\\d{4})\\b`, "gi"), keys: (m) => [ym(m[2]!, month(m[1]!))] },
];

const pad = (n: number | string) => String(n).padStart(2, "0");
const ymd = (y: string, m: string | number, d: string) => `${y}-${pad(m)}-${pad(d)}`;
const md = (m: string | number, d: string) => `--${pad(m)}-${pad(d)}`;
const ym = (y: string, m: string | number) => `${y}-${pad(m)}`;
const month = (name: string) =>
  MONTHS[name.slice(0, name.toLowerCase().startsWith("sept") ? 4 : 3).toLowerCase()] ?? 0;

function valid(key: string): boolean {
  const m = /^(?:(\d{4})|-)-(\d{2})(?:-(\d{2}))?$/.exec(key);
  if (!m) return false;
  const mo = Number(m[2]);
  const d = m[3] === undefined ? 1 : Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

/** The dates of a text; a longer form wins over a shorter one inside it (`March 5, 2024` over `March 5`). */
export function findDates(text: string): DateMention[] {
  const found: DateMention[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);
  for (const { re, keys } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const start = m.index!;
      const end = start + m[0].length;
      if (overlaps(start, end)) continue;
      const ks = keys(m).filter(valid);
      if (!ks.length) continue;
      taken.push([start, end]);
      found.push({ keys: [...new Set(ks)], start, end, text: m[0] });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Every key a context date answers to: the day, the day without its year, and its month. */
export function dateKeysOf(mention: DateMention): string[] {
  const out: string[] = [];
  for (const k of mention.keys) {
    out.push(k);
    if (/^\d{4}-\d{2}-\d{2}$/.test(k)) out.push(`--${k.slice(5)}`, k.slice(0, 7));
  }
  return out;
}

/** Days between two `YYYY-MM-DD` keys (Infinity when either is partial). */
export function daysBetween(a: string, b: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(a) || !/^\d{4}-\d{2}-\d{2}$/.test(b)) return a === b ? 0 : Infinity;
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}
