import { DECODED, type LexedTokens } from "./lexed-tokens.js";
import { isWordChar } from "./normalize-token.js";

/*
 * What surrounds a token in the text a view stands for. The raw view is one source text; the
 * decoded view of a JSON body is pieces of the body and of decoded strings, so its neighbours may
 * lie in another piece. Only matches and identifier runs ask, so this is off the hot path.
 */

function piecewise(lexed: LexedTokens, view: number): boolean {
  return view === DECODED && lexed.pieces !== undefined;
}

/** Up to `n` characters of the view's text just before token `k`. */
export function charsBefore(lexed: LexedTokens, view: number, k: number, n: number): string {
  const src = lexed.src[k]!;
  const start = lexed.start[k]!;
  const text = lexed.texts[src]!;
  if (!piecewise(lexed, view)) return text.slice(Math.max(0, start - n), start);
  const pieces = lexed.pieces!;
  let p = lexed.pieceAt(src, start);
  let out = text.slice(Math.max(pieces[p]!.from, start - n), start);
  while (out.length < n && --p >= 0) {
    const piece = pieces[p]!;
    const t = lexed.texts[piece.src]!;
    out = t.slice(Math.max(piece.from, piece.to - (n - out.length)), piece.to) + out;
  }
  return out;
}

/** Up to `n` characters of the view's text just after token `k`. */
export function charsAfter(lexed: LexedTokens, view: number, k: number, n: number): string {
  const src = lexed.src[k]!;
  const end = lexed.end[k]!;
  const text = lexed.texts[src]!;
  if (!piecewise(lexed, view)) return text.slice(end, end + n);
  const pieces = lexed.pieces!;
  let p = lexed.pieceAt(src, end - 1);
  let out = text.slice(end, Math.min(pieces[p]!.to, end + n));
  while (out.length < n && ++p < pieces.length) {
    const piece = pieces[p]!;
    out += lexed.texts[piece.src]!.slice(piece.from, Math.min(piece.to, piece.from + n - out.length));
  }
  return out;
}

/** The view's text between tokens `a` and `b` (a before b), or undefined when longer than `max`. */
export function textBetween(
  lexed: LexedTokens,
  view: number,
  a: number,
  b: number,
  max: number,
): string | undefined {
  const srcA = lexed.src[a]!;
  const srcB = lexed.src[b]!;
  const from = lexed.end[a]!;
  const to = lexed.start[b]!;
  if (lexed.texts[srcA] === lexed.texts[srcB] && (srcA === srcB || !piecewise(lexed, view))) {
    return to - from <= max ? lexed.texts[srcA]!.slice(from, to) : undefined;
  }
  if (!piecewise(lexed, view)) return undefined;
  const pieces = lexed.pieces!;
  const first = lexed.pieceAt(srcA, from - 1);
  const last = lexed.pieceAt(srcB, to);
  let out = lexed.texts[srcA]!.slice(from, pieces[first]!.to);
  for (let p = first + 1; p < last && out.length <= max; p++) {
    const piece = pieces[p]!;
    out += lexed.texts[piece.src]!.slice(piece.from, piece.to);
  }
  out += lexed.texts[srcB]!.slice(pieces[last]!.from, to);
  return out.length <= max ? out : undefined;
}

/** `. @ _ / -`: characters that join words into one identifier (`green-bg`, `a.b@c.de`, `x/y`). */
export function isConnector(code: number): boolean {
  return code === 46 || code === 64 || code === 95 || code === 47 || code === 45;
}

/**
 * Whether tokens `first..last` are glued into a longer identifier: a connector then a letter or
 * digit right before or right after them (`.green-bg`, `file_green`). A single word glued like
 * that is part of a name of its own (a CSS class, a file, a domain), not a mention of the word.
 */
export function gluedMatch(lexed: LexedTokens, view: number, first: number, last: number): boolean {
  const before = charsBefore(lexed, view, first, 2);
  if (before.length === 2 && isConnector(before.charCodeAt(1)) && isWordChar(before, 0)) return true;
  const after = charsAfter(lexed, view, last, 2);
  return after.length === 2 && isConnector(after.charCodeAt(0)) && isWordChar(after, 1);
}
