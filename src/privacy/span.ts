/** A detected sensitive value: `[start, end)` are UTF-16 offsets into the scanned text. */
export interface Span {
  /** Entity type, upper snake case: `EMAIL`, `PERSON`, `CREDIT_CARD`, or a configured type. */
  type: string;
  start: number;
  end: number;
  value: string;
  /** Confidence in [0, 1]; checksum-validated detectors score high, heuristics lower. */
  score?: number;
  /**
   * The value the span stands for when it differs from the text (a declared value typed in another
   * form: "999123456" for "999-12-3456"): what its placeholder restores to. Default `value`.
   */
  original?: string;
}

/** One kind of detection. Detectors are pure and synchronous so the pseudonymizer stays fast. */
export interface Detector {
  readonly name: string;
  detect(text: string): Span[];
}

/** Runs a global regex and maps each match (optionally a capture group) to a span after `check`. */
export function regexSpans(
  text: string,
  pattern: RegExp,
  type: string,
  score: number,
  check: (value: string, match: RegExpExecArray) => boolean = () => true,
  group = 0,
): Span[] {
  const spans: Span[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const value = m[group];
    if (value === undefined) continue;
    const start = m.index + (group === 0 ? 0 : m[0].indexOf(value));
    if (check(value, m)) spans.push({ type, start, end: start + value.length, value, score });
    if (m[0].length === 0) pattern.lastIndex++;
  }
  return spans;
}
