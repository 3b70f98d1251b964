/**
 * What the egress guard scans: a request body in two views, the raw bytes and (for JSON) its
 * decoded strings and numbers, so an escaped value cannot slip past a scanner.
 */
import { DECODED, LexedTokens, lexText, RAW } from "./lexed-tokens.js";
import { isAsciiWordChar } from "./normalize-token.js";
import type { EgressHit } from "./privacy-errors.js";
import type { TaintScanner } from "./taint-index.js";

/** The text to scan: the raw body plus, for JSON, every decoded string and number (escapes resolved). */
export function scanText(body: string): string[] {
  const texts = [body];
  const first = body.trimStart()[0];
  if (first !== "{" && first !== "[" && first !== '"') return texts;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return texts;
  }
  const parts: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") parts.push(v);
    else if (typeof v === "number") parts.push(String(v));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        parts.push(k);
        visit(item);
      }
    }
  };
  visit(parsed);
  texts.push(parts.join("\n"));
  return texts;
}

/** A stretch of a JSON body whose decoded form differs from its raw text. */
interface Region {
  start: number;
  end: number;
  /** What `JSON.parse` makes of it, as `scanText` renders it ("" for true/false/null). */
  text: string;
}

const WS = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;
const DIGIT = (c: number): boolean => c >= 48 && c <= 57;
const HEX = (c: number): boolean => DIGIT(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const ESCAPES = new Set([34, 92, 47, 98, 102, 110, 114, 116]); // " \ / b f n r t

/** Decodes the (already validated) JSON string content `s.slice(start, end)`. */
function decodeJsonChars(s: string, start: number, end: number): string {
  let out = "";
  let from = start;
  for (let j = start; j < end; j++) {
    if (s.charCodeAt(j) !== 92) continue;
    out += s.slice(from, j);
    const e = s[j + 1]!;
    if (e === "u") {
      out += String.fromCharCode(Number.parseInt(s.slice(j + 2, j + 6), 16));
      from = j + 6;
    } else {
      out += SIMPLE_ESCAPES[e]!;
      from = j + 2;
    }
    j = from - 1;
  }
  return out + s.slice(from, end);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/**
 * One validating pass over a JSON text (the same grammar `JSON.parse` accepts) returning the regions
 * whose decoded form differs from the raw bytes: strings with escapes, non-canonical numbers and
 * literals. Everything else decodes to exactly its raw tokens. `undefined` when it is not JSON.
 */
function jsonRegions(s: string): Region[] | undefined {
  const n = s.length;
  const regions: Region[] = [];
  const stack: number[] = []; // 1 object, 2 array
  // 0 value, 1 key or '}', 2 ':', 3 ',' or close, 4 key, 5 value or ']', 6 done
  let state = 0;
  let i = 0;
  const afterValue = (): number => (stack.length > 0 ? 3 : 6);
  const close = (c: number): boolean => {
    if (c !== (stack[stack.length - 1] === 1 ? 125 : 93)) return false;
    stack.pop();
    i++;
    state = afterValue();
    return true;
  };
  // Escapes change tokenization only locally: a dirty stretch runs from the last plain separator
  // before an escape to the next one after it, and only that stretch is lexed in both views.
  const flush = (start: number, end: number): void => {
    regions.push({ start, end, text: decodeJsonChars(s, start, end) });
  };
  const string = (): boolean => {
    const str = s;
    const len = n;
    let j = i + 1;
    let dirty = -1; // start of the pending dirty stretch
    let safe = j; // latest cut point: a position both views separate at
    for (;;) {
      if (j >= len) return false;
      const c = str.charCodeAt(j);
      if (c === 34) break;
      if (c < 32) return false;
      if (c === 92) {
        const e = str.charCodeAt(j + 1);
        let size = 2;
        if (e === 117) {
          for (let k = 2; k < 6; k++) if (!HEX(s.charCodeAt(j + k))) return false;
          size = 6;
        } else if (!ESCAPES.has(e)) return false;
        if (e === 34 || e === 92 || e === 47) {
          // \" \\ \/ separate in both views, exactly like the character they stand for.
          if (dirty >= 0) flush(dirty, j);
          dirty = -1;
          safe = j;
        } else if (dirty < 0) dirty = safe;
        j += size;
        continue;
      }
      if (c < 128 && !isAsciiWordChar(c)) {
        if (dirty >= 0) flush(dirty, j);
        dirty = -1;
        safe = j;
      }
      j++;
    }
    if (dirty >= 0) flush(dirty, j);
    i = j + 1;
    return true;
  };
  const number = (): boolean => {
    const start = i;
    let simple = true;
    if (s.charCodeAt(i) === 45) i++;
    const first = i;
    if (s.charCodeAt(i) === 48) i++;
    else if (DIGIT(s.charCodeAt(i))) while (DIGIT(s.charCodeAt(i))) i++;
    else return false;
    if (i - first > 15) simple = false;
    if (s.charCodeAt(i) === 46) {
      simple = false;
      i++;
      if (!DIGIT(s.charCodeAt(i))) return false;
      while (DIGIT(s.charCodeAt(i))) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 101 || e === 69) {
      simple = false;
      i++;
      const sign = s.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      if (!DIGIT(s.charCodeAt(i))) return false;
      while (DIGIT(s.charCodeAt(i))) i++;
    }
    if (!simple) {
      const raw = s.slice(start, i);
      const text = String(Number(raw));
      if (text !== raw) regions.push({ start, end: i, text });
    }
    return true;
  };
  for (;;) {
    while (i < n && WS(s.charCodeAt(i))) i++;
    if (i >= n) return state === 6 ? regions : undefined;
    const c = s.charCodeAt(i);
    switch (state) {
      case 6:
        return undefined;
      case 2:
        if (c !== 58) return undefined;
        i++;
        state = 0;
        continue;
      case 3:
        if (c === 44) {
          i++;
          state = stack[stack.length - 1] === 1 ? 4 : 0;
          continue;
        }
        if (!close(c)) return undefined;
        continue;
      case 1:
      case 4:
        if (c === 125 && state === 1) {
          close(c);
          continue;
        }
        if (c !== 34 || !string()) return undefined;
        state = 2;
        continue;
      case 5:
        if (c === 93) {
          close(c);
          continue;
        }
    }
    // A value.
    if (c === 34) {
      if (!string()) return undefined;
      state = afterValue();
    } else if (c === 123) {
      stack.push(1);
      i++;
      state = 1;
    } else if (c === 91) {
      stack.push(2);
      i++;
      state = 5;
    } else if (c === 45 || DIGIT(c)) {
      if (!number()) return undefined;
      state = afterValue();
    } else {
      const word = c === 116 ? "true" : c === 102 ? "false" : c === 110 ? "null" : undefined;
      if (word === undefined || !s.startsWith(word, i)) return undefined;
      regions.push({ start: i, end: i + word.length, text: "" });
      i += word.length;
      state = afterValue();
    }
  }
}

/**
 * Tokenizes a body once into both views `scanText` describes: the raw body (`RAW`) and, for JSON,
 * its decoded strings and numbers (`DECODED`). Outside the regions where decoding changes something
 * the two views share their tokens, so a typical body costs one pass plus its escaped strings.
 * Differs from `scanText` only in ordering the decoded view by source position, where `JSON.parse`
 * would move integer-like keys first and drop duplicate keys (never produced by `JSON.stringify`).
 */
export function lexBody(body: string): LexedTokens {
  const out = new LexedTokens(body.length >> 3);
  const first = body.trimStart()[0];
  const regions = first === "{" || first === "[" || first === '"' ? jsonRegions(body) : undefined;
  if (regions === undefined) {
    out.lex(body, 0, body.length, RAW);
    return out;
  }
  out.views = RAW | DECODED;
  out.split = regions.length > 0;
  // The decoded view is recorded piece by piece, so neighbours of its tokens can be looked up.
  const piece = (src: number, from: number, to: number) => {
    if (out.split) out.addPiece(src, from, to);
  };
  let pos = 0;
  for (const r of regions) {
    piece(out.lex(body, pos, r.start, RAW | DECODED), pos, r.start);
    out.lex(body, r.start, r.end, RAW);
    if (r.text !== "") piece(out.lex(r.text, 0, r.text.length, DECODED), 0, r.text.length);
    pos = r.end;
  }
  piece(out.lex(body, pos, body.length, RAW | DECODED), pos, body.length);
  return out;
}

/** Scans `body` against every index; deduplicated hits (type + origin), never values. */
export function scanBody(body: string, indexes: readonly TaintScanner[]): EgressHit[] {
  // Hits per view, in the order the raw body and then its decoded view are scanned.
  const raw: EgressHit[] = [];
  const decoded: EgressHit[] = [];
  const lexed = lexBody(body);
  for (const index of indexes) {
    const [r, d] = index.scanLexed(lexed);
    raw.push(...r);
    decoded.push(...d);
  }
  // JSON inside a JSON string (a prompt that embeds serialized data) keeps a second layer of
  // escapes after decoding; resolve up to two more layers. Rare, so only then is it paid for.
  const nested: EgressHit[] = [];
  if (body.includes("\\\\")) {
    let text = scanText(body).at(-1)!;
    for (let depth = 0; depth < 2 && /\\[\\"/bfnrtu]/.test(text); depth++) {
      text = unescapeJsonLayer(text);
      const layer = lexText(text);
      for (const index of indexes) nested.push(...index.scanLexed(layer)[0]);
    }
  }
  const hits = new Map<string, EgressHit>();
  for (const h of [...raw, ...decoded, ...nested]) hits.set(`${h.type}\u0000${h.origin}`, h);
  return [...hits.values()];
}

/** Resolves one layer of JSON string escapes; control escapes become spaces (word boundaries). */
export function unescapeJsonLayer(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|[\\"/bfnrt])/g, (_m, e: string) => {
    if (e[0] === "u") return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if ("bfnrt".includes(e)) return " ";
    return e;
  });
}
