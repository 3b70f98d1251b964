/** A piece of text; `placeholder` is set on pieces to highlight (the placeholder, or the value it replaced). */
export interface Segment {
  text: string;
  placeholder?: string;
}

const PLACEHOLDER = /<[A-Z][A-Z0-9_]*_\d+>/g;

/** Splits text into literal pieces and placeholders (`<PERSON_1>`, `<EMAIL_2>`). */
export function splitPlaceholders(text: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index) });
    out.push({ text: m[0], placeholder: m[0] });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/**
 * Finds, in the prompt as typed, the values that became placeholders in the prompt the cloud saw,
 * by walking the literal text between placeholders (linear: `indexOf` from left to right, no
 * backtracking, so a hostile prompt cannot stall the page). Returns undefined when the two texts
 * do not line up (the typed side is then shown without highlights).
 */
export function alignTyped(typed: string, cloud: Segment[]): Segment[] | undefined {
  const out: Segment[] = [];
  let at = 0;
  let pending: string[] = [];
  const flushValue = (end: number) => {
    if (pending.length === 0) return true;
    if (end <= at) return false;
    out.push({ text: typed.slice(at, end), placeholder: pending.join(" ") });
    at = end;
    pending = [];
    return true;
  };
  for (const seg of cloud) {
    if (seg.placeholder) {
      pending.push(seg.placeholder);
      continue;
    }
    const idx = pending.length ? typed.indexOf(seg.text, at + 1) : typed.startsWith(seg.text, at) ? at : -1;
    if (idx < 0 || !flushValue(idx)) return undefined;
    out.push({ text: seg.text });
    at += seg.text.length;
  }
  if (pending.length && !flushValue(typed.length)) return undefined;
  return at === typed.length ? out : undefined;
}
