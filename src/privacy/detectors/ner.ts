import { createRequire } from "node:module";
import type nlpType from "compromise";

// compromise loads a large lexicon (~1 s); load it on the first detection, not on import.
let nlpInstance: typeof nlpType | undefined;
const nlp = (text: string) => {
  nlpInstance ??= createRequire(import.meta.url)("compromise") as typeof nlpType;
  return nlpInstance(text);
};
import type { Detector, Span } from "../span.js";
import { getLexicon } from "./lexicon.js";
import { properNounSpans } from "./proper-noun-rules.js";

/*
 * Names, organisations and places that are not in the indexed data, from `compromise` (a small
 * rule-and-lexicon NLP library, pure JS, no model download). It is English-centric and misses many
 * foreign names, so it is complemented by a few patterns (company suffixes, "X, Y and Z" firms,
 * titled names, a country list). Cost: about 1-3 ms per prompt; measured in bench/privacy-guard.ts.
 */

const COUNTRIES =
  "Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia and Herzegovina|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Chad|Chile|China|Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti|Dominica|Dominican Republic|Ecuador|Egypt|El Salvador|Eritrea|Estonia|Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Greenland|Grenada|Guatemala|Guinea|Guyana|Haiti|Honduras|Hong Kong|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Norway|Oman|Pakistan|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Somalia|South Africa|South Korea|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tunisia|Turkey|Turkmenistan|Uganda|Ukraine|United Arab Emirates|United Kingdom|United States|Uruguay|Uzbekistan|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|England|Scotland|Wales|USA|UK";
const COUNTRY = new RegExp(`(?<![\\p{L}])(?:${COUNTRIES})(?![\\p{L}])`, "giu");
const CAP = "\\p{Lu}[\\p{L}'’-]+";
const ORG_PATTERNS = [
  // "Smith Ltd.", "Civic Impulse LLC", "3 Round Stones Inc", "Stillwater Supercomputing Inc."
  new RegExp(
    `(?<![\\p{L}])(?:(?:${CAP}|\\d+)\\s){0,3}${CAP}(?:,)?\\s(?:Inc|LLC|Ltd|GmbH|AG|SA|S\\.A|SAS|BV|B\\.V|NV|Oy|AB|AS|ApS|Srl|S\\.r\\.l|SpA|PLC|plc|Corp|Corporation|Incorporated|Limited|Company|Co|Group|Holdings|Partners|Associates|Consulting|Research|Foundation|Bank|University|Institute|Technologies|Technology|Solutions|Systems|Software|Services|Capital|Investments|Insurance|Markets|Labs|Laboratories|Networks|Analytics|Biosciences?|Pharmaceuticals|Ventures|Industries|Enterprises|Hospital|College|Airlines|Motors|Logistics)\\b\\.?`,
    "gu",
  ),
];
// Law-firm style: "Glover, Ruiz and Armstrong" (surnames; a list with a first name is people).
const LAW_FIRM = new RegExp(`(?<![\\p{L}])${CAP},\\s${CAP}\\s(?:and|&)\\s${CAP}`, "gu");
const TITLED = new RegExp(
  `\\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Madam|Herr|Frau|Mme|Mlle)\\.?\\s(${CAP}(?:\\s${CAP}){0,2})`,
  "gu",
);

// Context cues: "my name is borna jerković", "Hi Freddy,", "directed by Valentine S. Yermakov".
const NAME_WORD = "[\\p{L}][\\p{L}'’-]*";
const CUE = new RegExp(
  `\\b(?:my name is|name:|i am|i'm|this is|hi|hello|dear|sincerely,?|regards,?|by|producer|directed by|starring|signed|contact|from)\\s+(${NAME_WORD}(?:[ \\t](?:\\p{L}\\.|${NAME_WORD})){0,3})`,
  "giu",
);
// A text that opens with a short line of two or three words (a signature or address block header).
const HEADER = /^[ \t>]*((?:[\p{L}][\p{L}'’.-]*)(?:[ \t][\p{L}][\p{L}'’.-]*){1,3})[ \t]*\n/u;

function trimSpan(text: string, start: number, end: number): [number, number] {
  while (end > start && /[\s.,;:!?"'()[\]{}]/.test(text[end - 1]!)) end--;
  while (start < end && /[\s"'([{]/.test(text[start]!)) start++;
  return [start, end];
}

/**
 * Well-known acronyms of forms, data and business ("What is the SSN of …", "the IBAN", "export as
 * CSV"): compromise tags an unknown all-caps word as an organisation, but these name things, not
 * anyone. Organisations' own acronyms (IBM, NASA) are not listed: they are names.
 */
const ACRONYMS = new Set(
  (
    "SSN SIN NIN NINO ITIN EIN TIN VAT IBAN BIC SWIFT ABA ACH BSB CVV CVC PIN PUK OTP MFA SSO 2FA DOB " +
    "ID IDS UUID GUID PII PHI GDPR HIPAA CCPA PCI DSS KYC AML SOX ISO CRM ERP CMS HR IT PR QA UX UI " +
    "API SDK SQL CSV TSV PDF XML JSON YAML HTML CSS URL URI HTTP HTTPS DNS IP TCP UDP VPN SSH SSL TLS " +
    "SMS MMS GPS USB CPU GPU RAM SSD HDD OS AI ML LLM NLP OCR FAQ KPI OKR ROI SLA SLO SKU EAN UPC ETA " +
    "ETD ASAP FYI TBD TBA EOD EOW AM PM CEO CFO CTO COO CIO CMO VP MD PHD MBA RSVP PO BOM RMA SOW NDA " +
    "MRN NPI ICD CPT EHR EMR DRG BMI ZIP POS ATM EU USD EUR GBP CHF JPY YTD MTD QTD TTM EBIT EBITDA " +
    "CAGR ARR MRR LTV CAC NPS CSAT B2B B2C P&L"
  ).split(" "),
);

/** A single all-caps word that is a well-known acronym or an ordinary word in capitals ("PLEASE"). */
export function isPlainAcronym(word: string): boolean {
  if (!/^[\p{Lu}\d&]{2,}$/u.test(word)) return false;
  return ACRONYMS.has(word) || getLexicon().isCommon(word.toLowerCase());
}

/** A term of a compromise document once `compute("offset")` ran: where its word is in the text. */
interface OffsetTerm {
  offset: { start: number; length: number };
}

/**
 * Reads each match's extent from its terms' offsets, computed once per document: `json({ offset:
 * true })` recomputes them for every view and cost about as much as the parse itself.
 */
function fromCompromise(text: string, view: any, type: string, score: number, out: Span[]): void {
  for (const terms of view.docs as OffsetTerm[][]) {
    const first = terms[0];
    const last = terms[terms.length - 1];
    if (!first?.offset || !last?.offset) continue;
    const [start, end] = trimSpan(text, first.offset.start, last.offset.start + last.offset.length);
    const value = text.slice(start, end);
    // Single lower-case words ("co", "bank") are compromise's tagger guessing; skip them.
    if (end - start < 2 || !/\p{Lu}/u.test(value)) continue;
    if (isPlainAcronym(value)) continue;
    out.push({ type, start, end, value, score });
  }
}

function fromRegex(text: string, re: RegExp, type: string, score: number, out: Span[], group = 0): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const value = m[group]!;
    const start = m.index + m[0].indexOf(value);
    const [s, e] = trimSpan(text, start, start + value.length);
    out.push({ type, start: s, end: e, value: text.slice(s, e), score });
    if (!re.global) break;
  }
}

const CUE_STOP =
  /^(?:is|was|will|has|have|had|be|who|which|with|as|but|if|everyone|all|there|team|sir|madam|the|a|an|my|your|our|his|her|their|this|that|it|you|we|me|us|them|in|on|at|to|for|of|and|or|not|here|there|now|just|so|very|sure|glad|sorry|happy|calling|writing|looking|going|trying|having|interested|contacting)$/i;

function fromCue(text: string, out: Span[]): void {
  CUE.lastIndex = 0;
  for (let m = CUE.exec(text); m !== null; m = CUE.exec(text)) {
    const words = m[1]!.split(/\s+/);
    // Cut at the first stop word or, after the first word, at the first common word that is not a
    // first name; a capture that opens with such a word ("Hello\nCan you…") is no name at all.
    const lex = getLexicon();
    const ordinary = (w: string) => lex.isCommon(w.toLowerCase()) && !lex.isFirstName(w.toLowerCase());
    const kept: string[] = [];
    for (const w of words) {
      if (CUE_STOP.test(w) || (kept.length > 0 && ordinary(w) && !/^\p{Lu}/u.test(w))) break;
      kept.push(w);
    }
    if (kept.length === 0 || ordinary(kept[0]!)) continue;
    const cue = m[0].slice(0, m[0].length - m[1]!.length).toLowerCase();
    // "by"/"from"/"contact" are weak cues: require capitalized names after them.
    if (/\b(?:by|from|contact|i am|i'm|this is)\s*$/.test(cue) && !kept.every((w) => /^\p{Lu}/u.test(w)))
      continue;
    // "grouped by Region", "Sales by Sales Support Agent": capitalized, but ordinary words.
    if (kept.every(ordinary)) continue;
    const value = kept.join(" ");
    const start = m.index + m[0].length - m[1]!.length;
    const [s, e] = trimSpan(text, start, start + value.length);
    out.push({ type: "PERSON", start: s, end: e, value: text.slice(s, e), score: 0.5 });
  }
}

/**
 * The opening line as a signature or address header ("Maria Keller\n…"), when its words look like
 * a name: none is an ordinary English word, unless it is a first name ("Please look up\n…",
 * "Show invoices\n…" are requests, not people).
 */
function fromHeader(text: string, out: Span[]): void {
  const found: Span[] = [];
  fromRegex(text, HEADER, "PERSON", 0.4, found, 1);
  const lex = getLexicon();
  for (const span of found) {
    const words = span.value.split(/[ \t]+/).map((w) => w.toLowerCase().replace(/[.'’-]+$/, ""));
    if (words.every((w) => !lex.isCommon(w) || lex.isFirstName(w))) out.push(span);
  }
}

/** compromise's cost grows faster than the text (a 50 KB adversarial prompt took 14 s); it sees
 * pieces of at most this many characters, cut at a line or sentence end where there is one. */
const SEGMENT_CHARS = 2000;

export function segments(text: string, max = SEGMENT_CHARS): Array<{ start: number; text: string }> {
  const out: Array<{ start: number; text: string }> = [];
  let start = 0;
  while (text.length - start > max) {
    const window = text.slice(start, start + max);
    const cut = Math.max(window.lastIndexOf("\n"), window.lastIndexOf(". "), window.lastIndexOf(" "));
    const end = start + (cut > max / 2 ? cut + 1 : max);
    out.push({ start, text: text.slice(start, end) });
    start = end;
  }
  out.push({ start, text: text.slice(start) });
  return out;
}

function compromiseSpans(text: string, types: Set<string>): Span[] {
  const spans: Span[] = [];
  for (const part of segments(text)) {
    const found: Span[] = [];
    const doc = nlp(part.text);
    doc.compute("offset");
    if (types.has("PERSON")) fromCompromise(part.text, doc.people(), "PERSON", 0.5, found);
    if (types.has("ORGANIZATION"))
      fromCompromise(part.text, doc.organizations(), "ORGANIZATION", 0.45, found);
    if (types.has("LOCATION")) fromCompromise(part.text, doc.places(), "LOCATION", 0.45, found);
    for (const f of found) spans.push({ ...f, start: f.start + part.start, end: f.end + part.start });
  }
  return spans;
}

export interface NerDetectorOptions {
  /** Which entity kinds to emit; default all three. */
  types?: Array<"PERSON" | "ORGANIZATION" | "LOCATION">;
}

export function createNerDetector(options: NerDetectorOptions = {}): Detector {
  const types = new Set(options.types ?? ["PERSON", "ORGANIZATION", "LOCATION"]);
  return {
    name: "ner",
    detect(text) {
      const spans: Span[] = [];
      const tagged = compromiseSpans(text, types);
      spans.push(...tagged);
      if (types.has("PERSON")) {
        fromRegex(text, TITLED, "PERSON", 0.55, spans, 1);
        fromCue(text, spans);
        fromHeader(text, spans);
      }
      if (types.has("ORGANIZATION")) {
        for (const re of ORG_PATTERNS) fromRegex(text, re, "ORGANIZATION", 0.55, spans);
        const firms: Span[] = [];
        fromRegex(text, LAW_FIRM, "ORGANIZATION", 0.55, firms);
        const lex = getLexicon();
        for (const firm of firms) {
          const words = firm.value
            .split(/[\s,&]+/)
            .filter((w) => w !== "and")
            .map((w) => w.toLowerCase());
          // "Derek, Anna and Andrew" are people, "Rock, Jazz and Metal" are genres.
          const people = words.some((w) => lex.isFirstName(w) && !lex.isLastName(w));
          if (!people && words.filter((w) => lex.isCommon(w)).length < 2) spans.push(firm);
        }
      }
      if (types.has("LOCATION")) {
        fromRegex(text, COUNTRY, "LOCATION", 0.6, spans);
      }
      spans.push(
        ...properNounSpans(text, getLexicon(), {
          person: types.has("PERSON"),
          organization: types.has("ORGANIZATION"),
          location: types.has("LOCATION"),
        }),
      );
      return spans;
    },
  };
}
