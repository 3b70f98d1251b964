import type { Detector, Span } from "../span.js";
import { getLexicon } from "./lexicon.js";

/*
 * Names typed in lower case (or capitalized common words used as names) found by what comes before
 * them. People after a relation or an action on a person ("my wife aisha", "email tom about",
 * "ask priya", "thanks to dr okafor"); organisations after a workplace cue ("a role at thistle
 * bank", "i studied at fenwick analytics and …", "my account with tidewater"); places after a
 * travel or residence cue when the word is in the GeoNames gazetteer ("flying to bournemouth").
 * A name word is not a common English word (for people) or not a function word (for organisations,
 * whose names are often ordinary words: "Thistle Bank").
 */
const PERSON_CUE =
  /\b(?:(?:my|our|your|his|her|their)\s+(?:wife|husband|son|daughter|mom|mum|mother|dad|father|brother|sister|boss|manager|friend|colleague|coworker|co-worker|neighbou?r|doctor|dentist|therapist|landlord|landlady|tenant|partner|girlfriend|boyfriend|fianc[ée]e?|teacher|tutor|student|client|cousin|aunt|uncle|grandma|grandpa|grandmother|grandfather|nephew|niece|kid|baby|cat|dog|roommate|flatmate|assistant|lawyer|accountant|recruiter|coach)(?:\s+(?:called|named|is))?|(?:e-?mail|text|call|phone|tell|ask|message|dm|ping|invite|meet|thank|thanks|remind|cc|bcc|reply to|respond to|write to|send (?:it |this |that )?to|letter to|note to|msg to|message to|email to|mail to|for|with|from|to)(?:\s+(?:dr|mr|mrs|ms|prof)\.?)?|\b(?:dr|mr|mrs|ms|miss|prof|herr|frau|mme|mlle|sr|sra)\.?)\s+$/i;
const ORG_CUE =
  /\b(?:work(?:s|ed|ing)?\s+(?:at|for|with)|job\s+(?:at|with)|role\s+(?:at|with)|position\s+(?:at|with)|internship\s+(?:at|with)|intern(?:ed)?\s+at|stud(?:y|ied|ying)\s+at|graduated\s+from|employed\s+(?:at|by)|employer\s+(?:is\s+)?|hired\s+(?:at|by)|join(?:ed|ing)?|offer\s+from|account\s+(?:at|with)|bank(?:s|ing)?\s+with|insured\s+(?:with|by)|customer\s+of|client\s+of|member\s+of|apply(?:ing)?\s+(?:to|at)|applied\s+(?:to|at|for)|leaving|left|nurse\s+at|teacher\s+at|engineer\s+at|designer\s+at|manager\s+at|analyst\s+at|developer\s+at)\s+$/i;
const ORG_END =
  /^(?:bank|university|college|school|academy|institute|hospital|clinic|labs?|insurance|partners|group|capital|motors|systems|solutions|technologies|analytics|logistics|energy|health|pharma|security|legal|media|foods|hotels?|realty|travel|telecom|union|foundation|inc|llc|ltd|gmbh|ag|corp|co)$/i;
const ORG_WORDS =
  "bank|university|college|school|academy|institute|hospital|clinic|labs?|insurance|partners|group|capital|motors|systems|solutions|technologies|analytics|logistics|energy|health|pharma|security|legal|media|foods|hotels?|realty|travel|telecom|union|foundation|bakery|dental|veterinary|pediatrics|robotics|biotech|consulting|ventures|industries|airlines|florist|accounting|freight|inc|llc|ltd|gmbh|ag|ab|corp|plc|sarl|srl|bv";
const ORG_RUN = new RegExp(
  `[\\p{L}][\\p{L}\\p{M}'’-]+(?:[ \\t]+[\\p{L}][\\p{L}\\p{M}'’-]+)?[ \\t]+(?:${ORG_WORDS})(?![\\p{L}\\p{N}_-])`,
  "iuy",
);
const PLACE_CUE = /\b(?:in|to|from|near|at|visit(?:ing)?|around|via|between|and)\s+$/i;
const WORD = /^[\p{L}][\p{L}\p{M}'’-]*/u;
const FUNCTION = new Set(
  "the a an my our your his her their this that these those in on at to for of and or but with from by as is was are were be been it its we i you he she they them him me us home work night weekend moment least once all some any no one two three first last next new old today tomorrow yesterday now then there here about after before during until since when where while because so if than too very just also".split(
    " ",
  ),
);

/** Up to `max` words starting at `at`, stopping at punctuation, a line break or a function word. */
function wordsAt(text: string, at: number, max: number, stop: (w: string) => boolean): Span | undefined {
  let i = at;
  let end = at;
  let n = 0;
  while (n < max) {
    const m = WORD.exec(text.slice(i, i + 60));
    if (!m) break;
    const word = m[0].replace(/['’]s$/, "");
    if (stop(word.toLowerCase())) break;
    end = i + word.length;
    n++;
    const gap = /^[ \t]/.exec(text.slice(end, end + 1));
    if (!gap || word.length !== m[0].length) break;
    i = end + 1;
  }
  if (n === 0) return undefined;
  return { type: "", start: at, end, value: text.slice(at, end) };
}

// Greetings in many languages: the word after one is a name ("hey grace the …", "привет Мария",
// "ciao chiara", "مرحبا يوسف").
const GREETING =
  /(?<![\p{L}])(?:hi|hey|hello|hiya|dear|bonjour|salut|coucou|cher|chère|hallo|liebe|lieber|hola|querida|querido|estimad[oa]|olá|oi|caro|cara|ciao|gentile|hoi|beste|hej|hei|cześć|witaj|drog[ai]|merhaba|sayın|chào|xin chào|привет|здравствуй(?:те)?|дорог(?:ая|ой)|уважаем(?:ая|ый)|привіт|вітаю|шановн(?:а|ий)|مرحبا|مرحباً|أهلا|عزيزي|عزيزتي|नमस्ते|प्रिय)[ \t,]+([\p{L}\p{M}][\p{L}\p{M}'’-]*(?:[ \t][\p{Lu}][\p{L}\p{M}'’-]*)?)/giu;
// Honorific suffixes: 鈴木さん, 山本 拓也様, 박지훈 씨, 임현우님.
const HONORIFIC =
  /((?:[\p{Script=Han}\p{Script=Katakana}]{1,4}[ \t　])?[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}\p{Script=Hangul}\p{Script=Latin}]{1,12})[ \t]?(?:さん|様|さま|くん|君|ちゃん|先生|氏|님|씨|선생님|女士|先生|小姐|老师|经理)/gu;
// Chinese: a two- or three-character name after 给/和/跟/向/叫/问 that starts with a common surname.
const ZH_NAME =
  /(?<=[给和跟向叫问找对：:，,]|^)([王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文][\p{Script=Han}]{1,2}?)(?=[，,、。：:的说写打发给要想去在是也和]|$)/gu;

export const cueNameDetector: Detector = {
  name: "cue-names",
  detect(text) {
    const lex = getLexicon();
    const spans: Span[] = [];
    // Lower-case towns of 50,000+ inhabitants that are no English word or name ("leeds", "galway").
    for (const m of text.matchAll(/(?<![\p{L}\p{N}_@.#/-])\p{Ll}[\p{Ll}\p{M}'’-]{3,}(?![\p{L}\p{N}_@])/gu)) {
      const w = m[0];
      if (lex.isWord(w) || lex.isFirstName(w) || lex.isLastName(w) || lex.cityPopulation(w) < 50_000)
        continue;
      spans.push({ type: "LOCATION", start: m.index!, end: m.index! + w.length, value: w, score: 0.38 });
    }
    // Lower-case first names that are no English word ("chloe", "inès"), with a following
    // non-word as the surname ("priya raman").
    for (const m of text.matchAll(
      /(?<![\p{L}\p{N}_@.#/-])(\p{Ll}[\p{Ll}\p{M}'’-]{2,})(?:[ \t]+(\p{Ll}[\p{Ll}\p{M}'’-]{2,}))?/gu,
    )) {
      const first = m[1]!.replace(/['’]s$/, "");
      if (!lex.isFirstName(first) || lex.isWord(first)) continue;
      const last =
        m[2] && !lex.isWord(m[2]) && !FUNCTION.has(m[2]) && !lex.cityPopulation(m[2]) ? m[2] : undefined;
      const value = last ? `${m[1]!} ${last}` : first;
      spans.push({ type: "PERSON", start: m.index!, end: m.index! + value.length, value, score: 0.42 });
    }
    // Organisations named by their last word: "valmont pharma", "Corvid Security", "zentrix gmbh",
    // "norrland paper ab": up to two words before an organisation word, the first no common word.
    for (const start of text.matchAll(/(?<![\p{L}\p{N}_@.-])\p{L}/gu)) {
      ORG_RUN.lastIndex = start.index!;
      const m = ORG_RUN.exec(text);
      if (!m) continue;
      const words = m[0].split(/[ \t]+/);
      const head = words[0]!.toLowerCase();
      if (FUNCTION.has(head) || lex.isCommon(head) || lex.isFirstName(head)) continue;
      if (words.slice(1, -1).some((w) => FUNCTION.has(w.toLowerCase()))) continue;
      spans.push({
        type: "ORGANIZATION",
        start: m.index!,
        end: m.index! + m[0].length,
        value: m[0],
        score: 0.5,
      });
    }
    for (const m of text.matchAll(GREETING)) {
      const words = m[1]!.split(/[ \t]+/);
      const lower = words[0]!.toLowerCase();
      if (
        FUNCTION.has(lower) ||
        /^(?:team|everyone|all|there|guys|folks|friends|sir|madam|both|again|tout|todos|alle|всем|всех)$/i.test(
          lower,
        )
      )
        continue;
      if (/^\p{Script=Latin}/u.test(lower) && lex.isCommon(lower) && !lex.isFirstName(lower)) continue;
      const value =
        /^\p{Script=Latin}/u.test(lower) && words[1] && lex.isCommon(words[1].toLowerCase())
          ? words[0]!
          : m[1]!;
      const start = m.index! + m[0].length - m[1]!.length;
      spans.push({ type: "PERSON", start, end: start + value.length, value, score: 0.5 });
    }
    for (const re of [HONORIFIC, ZH_NAME])
      for (const m of text.matchAll(re)) {
        const value = m[1]!;
        const start = m.index! + m[0].indexOf(value);
        spans.push({ type: "PERSON", start, end: start + value.length, value, score: 0.5 });
      }
    for (const m of text.matchAll(/[\p{L}]+/gu)) {
      const at = m.index!;
      if (at === 0) continue;
      const before = text.slice(Math.max(0, at - 40), at);
      if (PERSON_CUE.test(before)) {
        // People: words that are not English words (names), at most three.
        const s = wordsAt(
          text,
          at,
          3,
          (w) => FUNCTION.has(w) || (lex.isCommon(w) && !lex.isFirstName(w)) || w.length < 2,
        );
        // After "for/with/from/to" only lower-case words that are no English word (capitalized
        // ones are NER's; "to Niitabury" in an address is a place).
        const weak = /\b(?:for|with|from|to|cc|bcc)\s+$/i.test(before);
        const unknown = (w: string) => {
          const lower = w.toLowerCase();
          return !lex.isWord(lower) && !lex.isWord(lower.replace(/e?s$/, "")) && !lex.cityPopulation(lower);
        };
        if (
          s &&
          s.value.length >= 3 &&
          (!weak || (s.value === s.value.toLowerCase() && s.value.split(/\s+/).every(unknown)))
        )
          spans.push({ ...s, type: "PERSON", score: weak ? 0.4 : 0.5 });
      }
      if (ORG_CUE.test(before)) {
        const s = wordsAt(text, at, 3, (w) => FUNCTION.has(w) || w.length < 2);
        // Lower-case common words only when they end like a firm ("thistle bank"), not "money transfer".
        const words = s?.value.split(/\s+/) ?? [];
        const plain = words.every((w) => w === w.toLowerCase() && lex.isWord(w));
        if (s && (!plain || ORG_END.test(words.at(-1)!)))
          spans.push({ ...s, type: "ORGANIZATION", score: 0.45 });
      }
      if (PLACE_CUE.test(before)) {
        const s = wordsAt(text, at, 3, (w) => FUNCTION.has(w));
        if (!s) continue;
        // Longest prefix of the words that is a known town and not a common English word.
        const words = s.value.split(/\s+/);
        for (let n = words.length; n >= 1; n--) {
          const name = words.slice(0, n).join(" ");
          const lower = name.toLowerCase();
          if (n === 1 && (lex.isCommon(lower) || lex.isFirstName(lower))) continue;
          if (lex.cityPopulation(lower) >= (n === 1 ? 20000 : 5000)) {
            spans.push({ type: "LOCATION", start: at, end: at + name.length, value: name, score: 0.4 });
            break;
          }
        }
      }
    }
    return spans;
  },
};
