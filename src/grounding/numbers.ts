/**
 * Numbers and amounts as a reader means them: `1,234.50`, `1234.5`, `1.234,50`, `$1,234`, `12%`
 * and `1 234` (thin or no-break space) are values, compared by value, never by spelling.
 */

export interface NumberMention {
  /** Every value the spelling can mean (`1,234` is 1234, or 1.234 in a European text). */
  values: number[];
  /** Decimals as written (`37.6` → 1): the answer may round a value to this precision. */
  decimals: number;
  percent: boolean;
  /** Has a currency sign, thousands separator or decimals: an amount, never a small count. */
  amount: boolean;
  start: number;
  end: number;
  text: string;
}

// A currency sign, digits grouped by , . ' thin/no-break space, or plain, an optional decimal part, %.
const NUMBER =
  /(?<![\p{L}\p{N}_.,])([$€£¥₹]\s?)?(\d{1,3}(?:([,.'\u00a0\u202f])\d{3})(?:\3\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(\s?%)?(?![\p{L}\p{N}_]|[.,]\d)/gu;

/** The numbers of a text, in order. */
export function findNumbers(text: string): NumberMention[] {
  const out: NumberMention[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const body = m[2]!;
    const group = m[3];
    const values = new Set<number>();
    let decimals = 0;
    if (group) {
      // Grouped: the separator that repeats groups thousands; a different last one is decimal.
      const tail = /[.,](\d+)$/.exec(body);
      const lastSep = tail ? body[body.length - tail[1]!.length - 1] : undefined;
      const hasDecimal = tail && lastSep !== group;
      const intPart = hasDecimal ? body.slice(0, body.length - tail![1]!.length - 1) : body;
      const whole = Number(intPart.split(group).join(""));
      decimals = hasDecimal ? tail![1]!.length : 0;
      values.add(hasDecimal ? Number(`${whole}.${tail![1]}`) : whole);
      // `1,234` or `1.234` alone may also be a decimal number (the other convention).
      if (!hasDecimal && (group === "," || group === ".") && body.split(group).length === 2)
        values.add(Number(body.replace(group, ".")));
    } else {
      const dec = /[.,](\d+)$/.exec(body);
      decimals = dec ? dec[1]!.length : 0;
      values.add(Number(body.replace(",", ".")));
    }
    const percent = Boolean(m[4]);
    out.push({
      values: [...values].filter(Number.isFinite),
      decimals,
      percent,
      amount: Boolean(m[1]) || Boolean(group) || decimals > 0,
      start: m.index!,
      end: m.index! + m[0].length,
      text: m[0],
    });
  }
  return out;
}

/**
 * Does `written` (as the answer spells it) state `actual`? Equal, or `actual` rounded to the
 * decimals written (`37.6` for 37.62, `1,235` for 1234.5); a percentage may be a fraction (12% for 0.12).
 */
export function numberStates(written: NumberMention, actual: number): boolean {
  for (const v of written.values) {
    if (sameAtPrecision(v, actual, written.decimals)) return true;
    if (written.percent && sameAtPrecision(v, actual * 100, written.decimals)) return true;
  }
  return false;
}

function sameAtPrecision(written: number, actual: number, decimals: number): boolean {
  if (written === actual) return true;
  const f = 10 ** decimals;
  const rounded = Math.round(actual * f) / f;
  return Math.abs(rounded - written) < 1e-9 * Math.max(1, Math.abs(written));
}

/** A value with a tolerance: |written − expected| ≤ tolerance (absolute), or the rounding rule above. */
export function numberWithin(written: NumberMention, expected: number, tolerance = 0): boolean {
  if (numberStates(written, expected)) return true;
  return written.values.some(
    (v) =>
      Math.abs(v - expected) <= tolerance + 1e-9 ||
      (written.percent && Math.abs(v - expected * 100) <= tolerance * 100 + 1e-9),
  );
}
