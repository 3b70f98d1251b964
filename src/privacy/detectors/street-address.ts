import type { Detector, Span } from "../span.js";

/*
 * Pattern detector for postal addresses: house number + street name + street word, in English and
 * the common European forms ("Koskikatu 25", "Rua Igreja 25", "ul. Słowicza 10"), unit designators
 * ("Apt. 864", "Suite 408") and US military addresses ("PSC 1437, Box 3833 APO AA 66791").
 */
// Word lengths are bounded so a long run of letters costs linear, not quadratic, time.
const W = "[\\p{Lu}\\p{Ll}][\\p{L}'’.-]{0,40}";
// Horizontal whitespace only: an address pattern must not run across lines into the next field.
const S = "[ \\t]";
// Street-name words are not function words ("3 books on the way" is not an address).
const NW = `(?!(?:the|on|in|at|of|a|an|to|and|or|my|your|our|his|her|their|is|was|for|with|by|from)${S})${W}`;
const NUM = "\\d{1,6}[A-Za-z]?";
const SUFFIX =
  "(?:street|st|avenue|ave|av|road|rd|lane|ln|drive|dr|way|court|ct|boulevard|blvd|place|pl|square|sq|terrace|close|crescent|cres|parkway|pkwy|highway|hwy|alley|row|hill|gardens|grove|park|walk|flats|mews|green|circle|cir|trail|loop|plaza|fort|forges|view|heights|mall|creek|ridge|pike|port|landing|vale|point|track|parade|esplanade|promenade|quay|wharf|rise|estate|villas|lodge|meadows|manor|cottages|chase)";
const PREFIX =
  "(?:rua|avenida|avda\\.?|av\\.|calle|c\\/|carrer|via|viale|piazza|corso|largo|rue|boulevard|bd|chemin|allée|place|ul\\.|ulica|al\\.|aleja|trg|plac|náměstí|nám\\.|strada|str\\.|sokak|cad\\.|odos|οδός|πλατεία|leoforos|travessa|praça|praca|alameda|rambla|paseo|pasaje|camino|estrada|rodovia|vía|the corner of)";
// Street words glued to the name in Nordic/Germanic/Baltic/Slavic languages.
const GLUED =
  "[\\p{L}-]{0,40}(?:katu|kuja|tie|polku|gatan|gata|gate|gaten|vägen|vej|veien|vegen|vegur|stræde|straße|strasse|str\\.|weg|gasse|allee|laan|straat|steeg|plein|dreef|kade|singel|gracht|tér|utca|út|körút|ulica|ulice|iela|gatve|tänav|maantee|puiestee|cesta|ulica|vænget|torv|plads|stig|bakken|haugen|tún|stígur|braut|hagi|svegen|rinne|piha|ranta)";
const UNIT = `(?:apt\\.?|apartment|suite|ste\\.?|unit|flat|floor|fl\\.|room|rm\\.?|box|#)\\s?\\d{1,5}[A-Za-z]?`;

const PATTERNS: Array<{ re: RegExp; score: number }> = [
  // US military: "PSC 1437, Box 3833\nAPO AA 66791", "USNS Bergman\nFPO AP 93757"
  {
    re: /\b(?:(?:PSC|Unit|CMR)\s\d{1,5},?\s+Box\s\d{1,5}|(?:USNS|USS|USNV|USCGC)\s[\p{L}]+)\s+(?:APO|FPO|DPO)\s+A[AEP]\s+\d{5}\b/giu,
    score: 0.9,
  },
  // "216 Menzies Street", "1668 Glyn St", "3744 Retreat Avenue", "124 67 Devon Street West"
  {
    re: new RegExp(
      `(?<![\\p{L}\\d])${NUM}(?:${S}${NUM})?${S}(?:${NW}${S}){1,3}${SUFFIX}\\b\\.?(?:${S}(?:north|south|east|west|n|s|e|w)\\b)?(?:,?${S}${UNIT})?`,
      "giu",
    ),
    score: 0.7,
  },
  // "Rua Igreja 25", "ul. Słowicza 10", "Avenida Otoniel Dutra 1277", "the corner of 25 Dili Gianni Street"
  {
    re: new RegExp(
      `(?:(?<![\\p{L}])${NUM}${S})?${PREFIX}${S}(?:${W}${S}){0,4}${NUM}\\b(?:,?${S}${UNIT})?`,
      "giu",
    ),
    score: 0.65,
  },
  // "Koskikatu 25", "6750 Koskikatu 25", "Trenerys gate 232", "Brucker Bundesstrasse 31"
  {
    re: new RegExp(
      `(?:(?<![\\p{L}\\d])${NUM}${S})?(?:${W}${S}){0,2}${GLUED}${S}${NUM}\\b(?:,?${S}${UNIT})?`,
      "giu",
    ),
    score: 0.65,
  },
  // Post office boxes: "P.O. Box 242", "PO Box 17"
  { re: /\bP\.?[ \t]?O\.?[ \t]Box[ \t]\d{1,6}\b/giu, score: 0.7 },
  // House number, capitalized street name, number (Nordic/Baltic/Greek/Czech forms without a street
  // word): "20789 Allika 46", "4844 Søndergade 52", "5850 Jana Nerudy 894"
  {
    re: new RegExp(
      `(?<![\\p{L}\\d])\\d{1,6}${S}(?:\\p{Lu}[\\p{L}'’.-]{0,40}${S}){1,3}\\d{1,5}\\b(?:,?${S}${UNIT})?`,
      "gu",
    ),
    score: 0.6,
  },
  // Hungarian: "Kálmán Imre u. 12.", "Erzsébet tér 19.", "Árpád fejedelem útja 3."
  {
    re: new RegExp(
      `(?<![\\p{L}])\\p{Lu}[\\p{L}'’.-]{0,40}${S}(?:${W}${S}){0,2}(?:u\\.|utca|útja|út|tér|körút|krt\\.)${S}\\d{1,5}\\.?`,
      "gu",
    ),
    score: 0.65,
  },
  // Bare unit designators: "Apt. 342", "Suite 408"
  { re: new RegExp(`(?<![\\p{L}])(?:apt\\.?|apartment|suite)${S}\\d{1,5}\\b`, "giu"), score: 0.55 },
];

const POSTCODE = /\n[ \t>?]*(?:[\p{L}()][\p{L}() ]*[ \t]+)?(\d{4,5}|\d{2}-\d{3})(?=[ \t]*(?:\n|$))/gu;

export const streetAddressDetector: Detector = {
  name: "street-address",
  detect(text) {
    const spans: Span[] = [];
    for (const { re, score } of PATTERNS) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const value = m[0].replace(/[\s,.]+$/, "");
        spans.push({ type: "STREET_ADDRESS", start: m.index, end: m.index + value.length, value, score });
      }
    }
    // The postcode closing an address block ("Estonia 62488", "53-320") within a few lines after a street.
    if (spans.length > 0) {
      const from = Math.min(...spans.map((sp) => sp.end));
      POSTCODE.lastIndex = from;
      for (let m = POSTCODE.exec(text); m !== null; m = POSTCODE.exec(text)) {
        if (m.index - from > 160) break;
        const code = m[1]!;
        const start = m.index + m[0].length - code.length;
        spans.push({ type: "STREET_ADDRESS", start, end: start + code.length, value: code, score: 0.6 });
      }
    }
    return spans;
  },
};
