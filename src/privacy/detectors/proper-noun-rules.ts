import type { Span } from "../span.js";
import type { Lexicon } from "./lexicon.js";

/*
 * Rules that complement compromise for names, places and organisations it does not know (foreign
 * names, small towns, invented company names). The core signal: in English text a capitalized word
 * that is not a common English word is a proper noun. Which kind is decided by a first-name
 * lexicon, a GeoNames city gazetteer, company suffixes and context cues ("lives in", "works at").
 * Scores order the rules for overlap resolution: specific evidence (a known first name, a cue)
 * beats shape alone.
 */

interface Token {
  start: number;
  end: number;
  text: string;
  lower: string;
  /** First letter upper case. */
  cap: boolean;
  /** Two or more letters, all upper case ("OULU"). */
  upper: boolean;
  /** One upper-case letter, optionally with its dot ("I.", "S"). */
  initial: boolean;
}

const PARTICLES = new Set([
  "van",
  "von",
  "de",
  "der",
  "den",
  "ten",
  "ter",
  "da",
  "di",
  "del",
  "della",
  "la",
  "le",
  "du",
  "dos",
  "das",
  "bin",
  "ibn",
  "al",
  "el",
  "y",
  "nad",
  "am",
]);
// Street and company words: a run containing one is an address or a firm, not a person.
const NOT_PERSON = new Set(
  (
    "str st rue via vicolo viale calle carrer avenida avda avenue ave rua quinta praça praca piazza plaza " +
    "strada ulica ul odos leoforos road rd street lane boulevard bd bypass chemin allée route " +
    "inc llc ltd gmbh ag corp co plc sa srl spa bv nv oy ab"
  ).split(" "),
);
// CamelCase product names (PostgreSQL, GitHub, OpenAI) are not names; "McDonald", "DeShawn" are.
const CAMEL = /^(?!Mc|Mac|De|Di|La|Le|Van|Von|O['’])\p{Lu}\p{Ll}*\p{Lu}/u;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /[\p{L}\p{M}][\p{L}\p{M}'’-]*/gu;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let word = m[0].replace(/['’]s$|['’-]+$/u, "");
    if (word.length === 0) continue;
    const start = m.index;
    const cap = /^\p{Lu}/u.test(word);
    const initial = cap && word.length === 1;
    let end = start + word.length;
    if (initial && text[end] === ".") end++;
    word = text.slice(start, end);
    tokens.push({
      start,
      end,
      text: word,
      lower: word.toLowerCase(),
      cap,
      upper: word.length > 1 && /^[\p{Lu}\p{M}'’-]+$/u.test(word),
      initial,
    });
  }
  return tokens;
}

/** Tokens separated only by spaces/tabs (no newline, comma or other punctuation). */
function joined(text: string, a: Token, b: Token): boolean {
  return /^[ \t]{1,2}$/.test(text.slice(a.end, b.start));
}

/** Maximal runs of capitalized tokens (with initials and inner particles) on one line. */
export function capitalizedRuns(text: string, tokens: Token[]): Token[][] {
  const runs: Token[][] = [];
  let run: Token[] = [];
  const flush = () => {
    while (run.length > 0 && !run[run.length - 1]!.cap) run.pop();
    if (run.length > 0) runs.push(run);
    run = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (run.length > 0 && !joined(text, run[run.length - 1]!, t)) flush();
    if (t.cap || (run.length > 0 && PARTICLES.has(t.lower))) run.push(t);
    else flush();
  }
  flush();
  return runs;
}

const LOCATION_CUE =
  /\b(?:(?:lives?|living|lived|reside[sd]?|residing|grew up|born|raised|moved(?: here)?|relocated|based|located|situated|headquartered|stationed|arrived|flew|flying|travell?ed|travell?ing|trip|moving|originally|city of|town of|village of|I'm|I am|we're)[ \t]+(?:in|to|from|at|near)|originally from|moved here from|based in)[ \t]+$/i;
const ORG_CUE =
  /\b(?:work(?:s|ed|ing)?[ \t]+(?:for|at)|employed[ \t]+(?:by|at)|employee[ \t]+(?:of|at)|years?[ \t]+at|joined|intern(?:ed)?[ \t]+at|(?:CEO|CTO|CFO|founder|co-founder|president|director|head)[ \t]+of|recorded[ \t]+for|customer[ \t]+of)[ \t]+$/i;
const ORG_HEAD =
  /^[ \t]+(?:is|was)[ \t]+an?[ \t]+(?:[\p{L}-]+[ \t]+){0,4}(?:company|corporation|agency|firm|bank|startup|start-up|manufacturer|retailer|provider|organi[sz]ation|non-profit|nonprofit|charity|consultancy|publisher|brand|business|enterprise|conglomerate|insurer|lender|vendor|supplier)\b/iu;

export interface RuleOptions {
  person: boolean;
  organization: boolean;
  location: boolean;
}

export function properNounSpans(text: string, lex: Lexicon, options: RuleOptions): Span[] {
  const out: Span[] = [];
  const tokens = tokenize(text);
  const known = (t: Token) => lex.isCommon(t.lower);
  const nameish = (t: Token) =>
    t.cap && !t.initial && !known(t) && !CAMEL.test(t.text) && !(t.upper && t.text.length <= 3);
  const emit = (type: string, from: Token, to: Token, score: number) =>
    out.push({ type, start: from.start, end: to.end, value: text.slice(from.start, to.end), score });

  for (const raw of capitalizedRuns(text, tokens)) {
    // Cues decide the kind outright and take the whole run ("works for Rapid Cycle Solutions").
    const cueRun = raw[0]!.lower === "the" ? raw.slice(1) : raw;
    if (cueRun.length > 0 && !lex.isFirstName(cueRun[0]!.lower)) {
      const before = text.slice(Math.max(0, cueRun[0]!.start - 40), cueRun[0]!.start);
      const kind =
        options.location && LOCATION_CUE.test(before)
          ? "LOCATION"
          : options.organization && ORG_CUE.test(before)
            ? "ORGANIZATION"
            : undefined;
      if (kind) {
        emit(kind, cueRun[0]!, cueRun[cueRun.length - 1]!, 0.56);
        continue;
      }
    }
    // Sentence-initial and other common capitalized words ("The", "Maybe", "Have") are not part of
    // a name; nor are honorifics, left to the titled-name rule.
    let run = raw;
    while (run.length > 0 && (known(run[0]!) || run[0]!.initial) && !lex.isFirstName(run[0]!.lower))
      run = run.slice(1);
    if (run.length === 0) continue;
    const first = run[0]!;
    const last = run[run.length - 1]!;
    const words = run.filter((t) => !t.initial && !PARTICLES.has(t.lower));
    // Next to a number it is an address or a model ("Joaquin Suarez 2906", "846 31 Rue ..."), not a person.
    const byNumber =
      /\d[ \t]*$/.test(text.slice(Math.max(0, first.start - 3), first.start)) ||
      /^[ \t.,]*\d/.test(text.slice(last.end, last.end + 4));

    if (options.organization && ORG_HEAD.test(text.slice(last.end, last.end + 80)) && words.length <= 4) {
      if (!lex.isFirstName(first.lower) || words.length === 1) {
        emit("ORGANIZATION", first, last, 0.5);
        continue;
      }
    }

    // Gazetteer: longest city name inside the run.
    if (options.location) {
      let found = false;
      for (let n = Math.min(run.length, 5); n >= 1 && !found; n--)
        for (let i = 0; i + n <= run.length && !found; i++) {
          const part = run.slice(i, i + n);
          const name = part.map((t) => t.lower).join(" ");
          const pop = lex.cityPopulation(name);
          if (pop === 0) continue;
          const single = n === 1;
          const t0 = part[0]!;
          if (single) {
            // One word: not a common word or a person's name, and a sizeable town (small towns are
            // found through cues and address blocks instead).
            if (!nameish(t0) || lex.isFirstName(t0.lower) || lex.isLastName(t0.lower) || pop < 15000)
              continue;
            if (run.length > 1 && words.length > 1) continue; // part of a longer name
          } else if (part.every(known) || lex.isFirstName(t0.lower)) continue;
          emit("LOCATION", part[0]!, part[n - 1]!, single ? 0.42 : 0.47);
          found = true;
        }
      if (found) continue;
    }

    if (!options.person || byNumber || run.some((t) => NOT_PERSON.has(t.lower))) continue;
    if (words.length >= 2 && words.length <= 4 && !first.upper) {
      const rest = words.slice(1);
      // "Hanne I. Kreutzmann", "Steffen Mauer": a known first name, then surname-like words.
      if (lex.isFirstName(first.lower) && rest.every((t) => nameish(t) || lex.isLastName(t.lower))) {
        emit("PERSON", first, last, 0.6);
        continue;
      }
      // "Krisztián Szöllösy", "Tomomi Nishiyama": no word of the run is an English word.
      // At least one word of 4+ letters: "Sci Fi" is a genre, not a person.
      if (words.every(nameish) && !words.some((t) => t.upper) && words.some((t) => t.lower.length >= 4)) {
        emit("PERSON", first, last, 0.5);
        continue;
      }
    }
    if (
      words.length === 1 &&
      run.length === 1 &&
      !first.upper &&
      lex.isFirstName(first.lower) &&
      nameish(first)
    )
      emit("PERSON", first, first, 0.45);
  }

  if (options.person) {
    // Lower-case "patricia desrosiers": a first name followed by a word that is not English.
    for (let i = 0; i + 1 < tokens.length; i++) {
      const a = tokens[i]!;
      const b = tokens[i + 1]!;
      if (a.cap || b.cap || !joined(text, a, b)) continue;
      if (
        lex.isFirstName(a.lower) &&
        !known(a) &&
        !known(b) &&
        b.text.length > 1 &&
        !lex.cityPopulation(b.lower)
      )
        emit("PERSON", a, b, 0.45);
    }
    // Dialogue speaker labels at line starts: "Nicole: Remember me?\nUbul: ...". A label that is
    // not an English word ("Fax:", "Website:" are) and, unless it is a known first name, a text
    // with at least two such labels (a dialogue, not a form).
    const LABEL = /(?:^|\n)[ \t>]*(\p{Lu}[\p{L}'’-]+):/gu;
    const labels: Array<{ word: string; start: number }> = [];
    for (let m = LABEL.exec(text); m !== null; m = LABEL.exec(text)) {
      const word = m[1]!;
      if (lex.isWord(word.toLowerCase()) || CAMEL.test(word) || /^\p{Lu}+$/u.test(word)) continue;
      labels.push({ word, start: m.index + m[0].length - word.length - 1 });
    }
    const dialogue = new Set(labels.map((l) => l.word)).size >= 2;
    for (const { word, start } of labels)
      if (dialogue || lex.isFirstName(word.toLowerCase()))
        out.push({ type: "PERSON", start, end: start + word.length, value: word, score: 0.5 });
  }

  if (options.location) {
    // The town line of an address block, after a unit line: "Apt. 595\n   LAPPEENRANTA\n".
    const TOWN =
      /(?:apt\.?|apartment|suite|ste\.?|unit|box)[ \t]*\d{1,5}[A-Za-z]?[ \t]*\n[ \t>?]*(\p{Lu}[\p{L}\p{M}'’.-]*(?:[ \t]+[\p{L}][\p{L}\p{M}'’.-]*){0,4})[ \t]*(?=\n|,|$)/giu;
    for (let m = TOWN.exec(text); m !== null; m = TOWN.exec(text)) {
      const town = m[1]!;
      if (!/^\p{Lu}/u.test(town)) continue;
      const start = m.index + m[0].length - town.length;
      out.push({ type: "LOCATION", start, end: start + town.length, value: town, score: 0.5 });
    }
  }
  return out;
}
