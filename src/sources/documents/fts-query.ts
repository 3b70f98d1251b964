// Words that carry no meaning for ranking; dropped unless the query has nothing else.
const STOPWORDS = new Set(
  (
    "a an and are as at be but by can do does for from had has have how i if in into is it its of on or " +
    "our so than that the their them then there these they this to was we were what when where which who " +
    "why will with you your"
  ).split(" "),
);

const MAX_TERMS = 32;

/**
 * Turns free text from a user or planner into a safe FTS5 MATCH expression. Every term becomes
 * a quoted string, so FTS5 syntax in the input (quotes, AND/OR/NOT/NEAR, `*`, `^`, `:`,
 * parentheses, column filters) is searched as plain words and can never cause a syntax error.
 * Terms are OR-ed: BM25 then ranks passages that match more (and rarer) terms higher.
 * Returns undefined when the query has no searchable words.
 */
export function toFtsQuery(query: string): string | undefined {
  const terms = queryTerms(query);
  if (terms.length === 0) return undefined;
  return terms.map((term) => `"${term.replace(/"/g, '""')}"`).join(" OR ");
}

/** The searchable words of a query: lower-cased, deduplicated, stopwords dropped (unless nothing else is left). */
export function queryTerms(query: string): string[] {
  const words =
    query
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
  const unique = [...new Set(words.map((word) => word.replace(/['’]s$/, "").replace(/['’]/g, "")))].filter(
    Boolean,
  );
  const meaningful = unique.filter((word) => !STOPWORDS.has(word));
  return (meaningful.length > 0 ? meaningful : unique).slice(0, MAX_TERMS);
}
