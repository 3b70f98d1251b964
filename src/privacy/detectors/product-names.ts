import type { Detector, Span } from "../span.js";
import { getLexicon } from "./lexicon.js";

/*
 * Names of products, projects, apps and repos, which NER does not know: CamelCase words
 * ("RedKite", "HexaPay"), and words in a name's position: before a product noun ("the kestrel
 * dashboard", "our zorvex migration"), before a version ("orchard v2", "oxbow 4.1"), after a naming
 * word ("an app called fathom", "projet tallow", "using nimbusdb"), or alone in backticks. In that
 * position a word is taken when it is not a common English word (SCOWL 10-35), or, before a
 * product noun or a version, not among the most common ones (SCOWL 10-20).
 */
export const PRODUCT_NOUN: ReadonlySet<string> = new Set(
  (
    "app apps dashboard migration repo repository cli sdk api workspace portal console plugin bot platform launch " +
    "rollout outage release deliverable integration pipeline codebase backend frontend tournament server channel " +
    "squad crm wiki sheet project team build instance cluster deployment account subscription extension library " +
    "client module package service"
  ).split(" "),
);
export const BEFORE_NAME =
  /^(?:the|my|our|your|their|his|her|its|in|of|for|to|from|with|on|at|and|uses?|using|into|via|about|called|named|codenamed|project|repo|app|startup|brand|product)$/i;
/** Words after which the next word names something (in several languages). */
export const NAMING =
  /^(?:called|named|codenamed|project|projet|projekt|proyecto|progetto|projeto|проект|проєкт|repo|startup|brand|using|starting|running|install(?:ed|ing)?|deploy(?:ed|ing)?)$/i;
const CAMEL = /^(?!Mc|Mac|De|Di|La|Le|Van|Von|O['’])\p{Lu}?\p{Ll}+\p{Lu}\p{Ll}+/u;
const WORD = /[\p{Script=Latin}][\p{Script=Latin}\p{N}]*(?:-[\p{Script=Latin}\p{N}]+)*/gu;

interface Tok {
  start: number;
  end: number;
  text: string;
}

/** Whether `lower` is a core word (SCOWL 10-20), common (10-35), or neither; `isCore` is injected. */
export function inNamePosition(
  text: string,
  tokens: readonly Tok[],
  i: number,
  isCore: (lower: string) => boolean,
  isCommon: (lower: string) => boolean,
): boolean {
  const t = tokens[i]!;
  const lower = t.text.toLowerCase();
  if (lower.length < 4 || isCore(lower)) return false;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  const spaced = (a: Tok | undefined, b: Tok | undefined) =>
    !!a && !!b && /^[ \t]$/.test(text.slice(a.end, b.start));
  const rare = !isCommon(lower);
  if (text[t.start - 1] === "`" && text[t.end] === "`") return rare || !/\s/.test(text.slice(t.start, t.end));
  if (rare && prev && spaced(prev, t) && NAMING.test(prev.text)) return true;
  if (!next || !spaced(t, next)) return false;
  if (/^v?\d+(?:\.\d+)+$|^v\d+$/i.test(next.text)) return true;
  return PRODUCT_NOUN.has(next.text.toLowerCase()) && (!prev || BEFORE_NAME.test(prev.text));
}

export function createProductNameDetector(publicWords: ReadonlySet<string>): Detector {
  return {
    name: "product-names",
    detect(text) {
      const lex = getLexicon();
      const tokens: Tok[] = [];
      for (const m of text.matchAll(WORD))
        tokens.push({ start: m.index!, end: m.index! + m[0].length, text: m[0] });
      const spans: Span[] = [];
      const isCommon = (w: string) => lex.isCommon(w) || publicWords.has(w);
      tokens.forEach((t, i) => {
        const lower = t.text.toLowerCase();
        if (publicWords.has(lower) || lex.isFirstName(lower)) return;
        const camel = CAMEL.test(t.text) && !lex.isWord(lower);
        if (camel || inNamePosition(text, tokens, i, (w) => lex.isCore(w) || publicWords.has(w), isCommon))
          spans.push({ type: "TERM", start: t.start, end: t.end, value: t.text, score: 0.35 });
      });
      return spans;
    },
  };
}
