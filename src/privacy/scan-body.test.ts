import { describe, expect, it } from "vitest";
import { lexText } from "./normalize.js";
import type { EgressHit } from "./privacy-errors.js";
import { scanBody, scanText, unescapeJsonLayer } from "./scan-body.js";
import { TaintIndex, type TaintScanner } from "./taint-index.js";
import { ValueIndex } from "./value-index.js";

describe("scanBody's single-pass JSON-aware scan", () => {
  it("scans JSON-escaped content (unicode escapes, newlines) and numbers", () => {
    const t = new TaintIndex();
    t.addToolResult("s1", { name: "Zoë Ørsted", n: 9876543 });
    expect(
      scanBody(JSON.stringify({ m: "Zo\u00eb\n\u00d8rsted" }).replace("ë", "\\u00eb"), [t]),
    ).toHaveLength(1);
    expect(scanBody('{"x":9876543}', [t])).toHaveLength(1);
  });

  const taint = new TaintIndex({ window: 3 });
  taint.addToolResult("s1", { name: "Jürgen Müller", card: 4454794511390933, amount: 1234.5 });
  taint.addToolResult("s2", { note: "pain after the accident on the highway", code: "u00e9t" });
  taint.add("CANARY-7f3a9", { type: "CANARY", origin: "canary" });
  const values = new ValueIndex();
  values.add({ type: "PERSON", value: "Zoë Ørsted", origin: "crm.name" });
  values.add({ type: "CITY", value: "Köln", origin: "crm.city" });

  /**
   * The definition: raw body and `scanText`'s decoded view, each tokenized and scanned, plus up to
   * two more decoded layers when the body embeds escaped JSON (a literal backslash in a string).
   */
  const reference = (body: string, indexes: readonly TaintScanner[]): EgressHit[] => {
    const hits = new Map<string, EgressHit>();
    const texts = scanText(body);
    if (body.includes("\\\\")) {
      let text = texts.at(-1)!;
      for (let d = 0; d < 2 && /\\[\\"/bfnrtu]/.test(text); d++) {
        text = unescapeJsonLayer(text);
        texts.push(text);
      }
    }
    for (const text of texts) {
      const tokens = lexText(text);
      for (const index of indexes)
        for (const h of index.scanLexed(tokens)[0]) hits.set(`${h.type}/${h.origin}`, h);
    }
    return [...hits.values()];
  };

  it("catches values that only appear after JSON decoding", () => {
    // \u escapes hide an accented letter from the raw bytes.
    expect(scanBody('{"m":"J\\u00fcrgen M\\u00fcller"}', [taint])).toEqual([
      { type: "TOOL_RESULT", origin: "s1" },
    ]);
    // An escaped newline glues "n" to the next word in the raw bytes.
    expect(scanBody('{"m":"J\\u00fcrgen\\nM\\u00fcller"}', [taint])).toHaveLength(1);
    expect(scanBody('{"m":"pain after\\nthe accident"}', [taint])).toEqual([
      { type: "TOOL_RESULT", origin: "s2" },
    ]);
    // Escaped quotes and slashes; numbers re-rendered by JSON.parse (1234.50 is 1234.5).
    expect(scanBody('{"m":"\\"canary\\/7f3a9\\""}', [taint])).toEqual([{ type: "CANARY", origin: "canary" }]);
    expect(scanBody('{"x":1234.50}', [taint])).toHaveLength(1);
    expect(scanBody('{"x":4.454794511390933e15}', [taint])).toHaveLength(1);
    expect(scanBody('["Zo\\u00EB \\u00d8rsted"]', [values])).toEqual([
      { type: "PERSON", origin: "crm.name" },
    ]);
    expect(scanBody('"K\\u00f6ln"', [values])).toEqual([{ type: "CITY", origin: "crm.city" }]);
  });

  it("still catches values in the raw form, and scans invalid JSON and plain text raw", () => {
    // Only the raw bytes contain "u00e9t" as a word.
    expect(scanBody('{"m":"\\u00e9t"}', [taint])).toEqual([{ type: "TOOL_RESULT", origin: "s2" }]);
    // Not JSON (trailing comma, unquoted key): raw only, still caught.
    expect(scanBody('{"m":"jürgen müller",}', [taint])).toHaveLength(1);
    expect(scanBody("{m: canary 7f3a9}", [taint])).toHaveLength(1);
    expect(scanBody("plain CANARY-7F3A9 text", [taint])).toHaveLength(1);
    expect(scanBody('{"m":"J\\u00fcrgen M\\u00fcller"', [taint])).toEqual([]);
    expect(scanBody('{"m":"clean","ok":true,"n":null,"f":-0.5e-3}', [taint, values])).toEqual([]);
  });

  it("uses the same ids whatever the order of adding and scanning", () => {
    const t = new TaintIndex();
    expect(scanBody('{"a":"late value"}', [t])).toEqual([]);
    t.add("late value", { type: "T", origin: "s9" });
    expect(scanBody('{"a":"LATE\\tvalue"}', [t])).toEqual([{ type: "T", origin: "s9" }]);
  });

  let seed = 11;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const WORDS = [
    "Jürgen",
    "MÜLLER",
    "muller",
    "u00e9t",
    "\u00e9t",
    "pain",
    "after the accident",
    "on the highway",
    "CANARY-7f3a9",
    "Zoë",
    "Ørsted",
    "Koln",
    "tool",
    "\n",
    '"',
    "\\",
    "/",
    "\t",
    "\u0001",
    "😀",
    "ß",
  ];
  const randomValue = (depth: number): unknown => {
    const r = rnd();
    if (r < 0.35 || depth > 3)
      return Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => pick(WORDS)).join(pick([" ", "", "\n"]));
    if (r < 0.5) return pick([4454794511390933, 1234.5, 1234.5e-2, -7, 0, 1e21, 1.2345678901234567e19]);
    if (r < 0.55) return pick([true, false, null]);
    if (r < 0.75) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(depth + 1));
    const o: Record<string, unknown> = {};
    for (let k = Math.floor(rnd() * 4); k > 0; k--) o[pick(WORDS)] = randomValue(depth + 1);
    return o;
  };
  const mutate = (body: string): string => {
    const r = rnd();
    if (r < 0.3)
      return body.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    if (r < 0.4) return body.replace(/[,:]/g, (c) => `${c} \n`);
    if (r < 0.45) return body.slice(0, Math.floor(rnd() * body.length));
    if (r < 0.5) return body.replace(/"/, "'");
    if (r < 0.55) return ` \u00a0${body}`;
    return body;
  };

  it("agrees with the two-pass reference on random bodies", () => {
    let withHits = 0;
    for (let i = 0; i < 400; i++) {
      const body = mutate(JSON.stringify({ messages: [randomValue(0), randomValue(0)], n: randomValue(2) }));
      const expected = reference(body, [taint, values]);
      if (expected.length > 0) withHits++;
      expect(scanBody(body, [taint, values]), body).toEqual(expected);
    }
    expect(withHits).toBeGreaterThan(100);
  });
});

describe("nested JSON escapes", () => {
  it("finds a value that is escaped twice (JSON embedded in a JSON string), and a value split by an embedded newline", () => {
    const taint = new TaintIndex();
    taint.add("Renée Lefèvre", { type: "PERSON", origin: "s1" });
    taint.add("sutures removed on day ten", { type: "TOOL_RESULT", origin: "s2" });
    const embedded = JSON.stringify({ patient: "Renée Lefèvre" }).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    const body = JSON.stringify({ messages: [{ role: "user", content: `Context: ${embedded}` }] });
    expect(body).toContain("\\\\u00e9");
    expect(scanBody(body, [taint]).map((h) => h.origin)).toEqual(["s1"]);
    const split = JSON.stringify({
      messages: [{ content: JSON.stringify({ note: "sutures removed\non day ten" }) }],
    });
    expect(scanBody(split, [taint]).map((h) => h.origin)).toEqual(["s2"]);
    expect(
      scanBody(JSON.stringify({ messages: [{ content: JSON.stringify({ note: "nothing here" }) }] }), [
        taint,
      ]),
    ).toEqual([]);
  });
});
