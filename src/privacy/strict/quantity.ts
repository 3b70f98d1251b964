/*
 * Numbers that are plainly quantities, kept by strict mode: small integers (up to 4 digits, no
 * leading zero), years, decimals, grouped thousands ("4,500" reaches here as "4" and "500"),
 * ordinals, times and numbers with a unit ("850mg", "2gb", "3pm", "80k"), versions ("v4.1"),
 * short ranges ("3-5"). Longer digit runs, numbers with a leading zero and digit-letter mixes are
 * identifiers, not quantities. With `amounts: true` (default) a number after a currency sign or
 * before a currency word may have up to 7 digits ("$85000", "92000 euros").
 */
const SMALL = /^(?:0|[1-9]\d{0,3})$/;
const DECIMAL = /^(?:0|[1-9]\d{0,5})[.,]\d{1,2}$/;
const UNIT =
  /^(?:0|[1-9]\d{0,4})(?:[.,]\d{1,2})?(?:st|nd|rd|th|k|m|bn|mb|gb|kb|tb|mg|mcg|ml|l|kg|g|lb|lbs|oz|km|cm|mm|ft|am|pm|h|hr|hrs|min|mins|s|ms|sec|x|px|pt|p|fps|hz|ghz|mhz|yo|d|w|yr|yrs|v|kw|kwh|mah|°c|°f)$/i;
const TIME = /^(?:[01]?\d|2[0-3])[:.h][0-5]\d$/;
const VERSION = /^v?\d{1,3}(?:\.\d{1,3}){1,3}$/i;
const RANGE = /^(?:0|[1-9]\d{0,2})[-–/](?:0|[1-9]\d{0,2})$/;
const AMOUNT = /^[1-9]\d{0,6}$/;
const CURRENCY_BEFORE = /[$€£¥₹₩₽]\s?$/;
const CURRENCY_AFTER = /^\s?(?:k\b|dollars?|euros?|pounds?|usd|eur|gbp|chf|cad|aud|yen|rupees?|€|\$|£)/i;

export function isQuantity(token: string, before = "", after = "", amounts = true): boolean {
  if (SMALL.test(token) || DECIMAL.test(token) || UNIT.test(token) || TIME.test(token)) return true;
  if (VERSION.test(token) || RANGE.test(token)) return true;
  return amounts && AMOUNT.test(token) && (CURRENCY_BEFORE.test(before) || CURRENCY_AFTER.test(after));
}
