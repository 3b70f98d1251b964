import type { Detector, Span } from "../span.js";

/*
 * Identifiers and codes: order and booking numbers, account, ticket, case and employee numbers,
 * licence keys, tracking codes. Two signals:
 * - shape: a token mixing letters and digits (`K448120973`, `RZG-626639`, `XR#-Q7-200B1D`), or a
 *   long run of digits (6+, possibly grouped by `-`/`/`); not ordinals, units, versions, times,
 *   amounts or short technical names (`sha256`, `utf8`, `x86_64`, `1080p`, `12th`, `850mg`, `v4.1`);
 * - a cue: the code after "order", "ticket", "ref", "invoice", "#", "Kundennummer", "заказ",
 *   "订单", "주문번호" … even when it is short or all letters (`order 4471`, `booking ref QXTLRA`).
 */
// Codes are Latin letters and digits; in "订单P4TLR2已经发货了" the code ends where the Han text starts.
const TOKEN =
  /(?<![\p{Script=Latin}\p{N}_@.#/-])#?[\p{Script=Latin}\p{N}](?:[\p{Script=Latin}\p{N}]|[-_/#.](?=[\p{Script=Latin}\p{N}#]))*/gu;
const UNIT =
  /^\d+(?:[.,]\d+)?(?:st|nd|rd|th|k|m|bn|mb|gb|kb|tb|mg|mcg|ml|l|kg|g|lb|lbs|oz|km|cm|mm|m2|sqm|ft|in|am|pm|h|hr|hrs|min|mins|s|ms|sec|x|px|pt|em|p|fps|hz|khz|mhz|ghz|yo|y|d|w|mo|yr|yrs|v|w|kw|kwh|mah|°c|°f|c|f|%|e|eur|usd|gbp)$/i;
const VERSION = /^v?\d+(?:\.\d+){1,3}(?:-[a-z0-9.]+)?$/i;
const TECH = /^[a-z]{1,8}\d{1,3}(?:[_-]\d{1,3})?$/i; // sha256, utf8, x86_64, ipv6, python3, es2022
const QUARTER = /^(?:q[1-4]|h[12]|fy\d{2,4}|[a-z]\d|\d[a-z])$/i; // Q3, H1, FY24, 4k, 5g, v2
const TIME = /^\d{1,2}[:.h]\d{2}$/;
const DATE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/;
const AMOUNT = /^\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?$/;

const CUE =
  /(?:(?<![\p{L}\p{N}])(?:order|orders|ticket|ref|reference|invoice|inv|booking|reservation|confirmation|conf|tracking|shipment|parcel|account|acct|member|membership|customer|client|employee|staff|student|patient|case|claim|policy|contract|passport|licen[cs]e|serial|vin|id|no(?=\.)|nr|number|num|code|pnr|transaction|txn|badge|flight|reg(?:istration)?|kundennummer|kunden-?nr|rechnung|rechnungsnummer|bestellung|bestellnummer|vertragsnummer|aktenzeichen|commande|facture|dossier|référence|numéro|num[ée]ro|pedido|factura|reserva|número|numero|ordine|prenotazione|fattura|codice|bestelling|factuur|zamówienie|faktura|numer|заказ|заказа|номер|счёт|счет|договор|订单|单号|编号|订单号|注文番号|予約番号|주문번호|예약번호|번호|رقم|الطلب)\.?|#|№)(?:[ \t]+(?:number|no\.?|nr\.?|num|is|was|id|code|:|de|du|n°|nº|номер))*[ \t]*[:#№]?[ \t]*/giu;
const CUED_VALUE =
  /^#?[\p{Script=Latin}\p{N}](?:[\p{Script=Latin}\p{N}]|[-_/#.](?=[\p{Script=Latin}\p{N}]))*/u;

function looksLikeId(token: string): boolean {
  const core = token.replace(/^#/, "");
  if (core.length < 5) return false;
  if (UNIT.test(core) || VERSION.test(core) || TECH.test(core) || QUARTER.test(core) || TIME.test(core))
    return false;
  if (DATE.test(core) || AMOUNT.test(core)) return false;
  const digits = core.replace(/\D/g, "").length;
  const letters = core.replace(/[^\p{L}]/gu, "").length;
  if (digits === 0) return false;
  if (letters === 0) return digits >= 6 || (token.startsWith("#") && digits >= 4);
  if (/^\p{L}{3,}-\d{1,3}$/u.test(core)) return false; // model and band names: "Blink-182", "Boeing-737"
  // Words with a digit glued on are often handles or passwords; both are private anyway.
  return digits >= 2 || core.length >= 7;
}

export const identifierDetector: Detector = {
  name: "identifier",
  detect(text) {
    const spans: Span[] = [];
    for (const m of text.matchAll(TOKEN)) {
      const value = m[0].replace(/[.]+$/, "");
      // Bare digit runs score below a phone number's structural match.
      const score = /^#?[\d/-]+$/.test(value) ? 0.4 : 0.55;
      if (looksLikeId(value))
        spans.push({ type: "ID", start: m.index!, end: m.index! + value.length, value, score });
    }
    CUE.lastIndex = 0;
    for (let m = CUE.exec(text); m !== null; m = CUE.exec(text)) {
      const at = m.index + m[0].length;
      const v = CUED_VALUE.exec(text.slice(at, at + 64));
      if (!v) continue;
      const value = v[0].replace(/[.]+$/, "");
      const core = value.replace(/^#/, "");
      // After a cue: anything with a digit (not a plain quantity of one or two digits or a
      // version), or an all-caps code of 5+ characters (PNR, voucher).
      const digitsOnly = /^\d+$/.test(core);
      const coded = digitsOnly
        ? core.length >= (m[0].trim() === "#" ? 3 : 4) && !/^(?:19|20)\d{2}$/.test(core)
        : (/\d/.test(core) &&
            !VERSION.test(core) &&
            !UNIT.test(core) &&
            !TIME.test(core) &&
            !QUARTER.test(core)) ||
          /^[A-Z0-9]{5,}$/.test(core);
      // Digits only: below a phone number's score ("phone number: 555 123 4567" is a phone).
      if (coded)
        spans.push({ type: "ID", start: at, end: at + value.length, value, score: digitsOnly ? 0.42 : 0.6 });
    }
    return spans;
  },
};
