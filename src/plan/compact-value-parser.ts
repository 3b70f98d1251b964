/**
 * The values of the compact plan language (see `compact-plan.ts`): a bounded recursive-descent
 * reader of one step's argument list, which can tell a step cut off by the end of the buffer
 * (`Incomplete`: wait for more) from one that is wrong (`Malformed`: report it).
 */

/** Deepest nesting of arrays and objects in one argument value. */
export const MAX_VALUE_DEPTH = 32;

const IDENT = /[A-Za-z_$][\w$-]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** One segment of a reference's path: `.name`, `[0]`, `[*]` or `["key"]`. */
export const PATH_SEGMENT = /\.[A-Za-z_$][\w$-]*|\[\d+\]|\[\*\]|\["(?:[^"\\]|\\.)*"\]/y;

/** The argument list ended with the buffer: more text may complete it. */
export class Incomplete extends Error {}
/** The argument list is wrong; the message says how. */
export class Malformed extends Error {}

/** A recursive-descent reader of one argument list, bounded in depth. */
export class ValueParser {
  constructor(
    private readonly text: string,
    public at: number,
    private readonly final: boolean,
  ) {}

  args(): Record<string, unknown> {
    const args: Record<string, unknown> = {};
    this.space();
    if (this.peek() === ")") {
      this.at++;
      return args;
    }
    for (;;) {
      this.space();
      const key = this.key();
      this.space();
      const sign = this.peek();
      if (sign !== "=" && sign !== ":") {
        throw new Malformed(`write each argument as name=value (after "${key}")`);
      }
      this.at++;
      if (Object.hasOwn(args, key)) throw new Malformed(`argument "${key}" is given twice`);
      args[key] = this.value(0);
      this.space();
      const c = this.peek();
      this.at++;
      if (c === ")") return args;
      if (c !== ",") throw new Malformed(`expected "," or ")" after argument "${key}"`);
      this.space();
      if (this.peek() === ")") {
        this.at++;
        return args;
      }
    }
  }

  private value(depth: number): unknown {
    if (depth > MAX_VALUE_DEPTH)
      throw new Malformed(`an argument is nested more than ${MAX_VALUE_DEPTH} levels deep`);
    this.space();
    const c = this.peek();
    if (c === '"' || c === "'") return this.string();
    if (c === "[") return this.array(depth);
    if (c === "{") return this.object(depth);
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    const word = this.ident();
    if (word === undefined) throw new Malformed(`unexpected "${c}" where a value should be`);
    switch (word) {
      case "true":
      case "True":
        return true;
      case "false":
      case "False":
        return false;
      case "null":
      case "None":
        return null;
    }
    return this.ref(word);
  }

  /** `s1`, `s1.rows[0].id`, `s2.items[*].sku`: a reference to an earlier step's output. */
  private ref(stepId: string): unknown {
    let path = "";
    for (;;) {
      if (this.at >= this.text.length) {
        this.more();
        break;
      }
      PATH_SEGMENT.lastIndex = this.at;
      const m = PATH_SEGMENT.exec(this.text);
      if (!m) break;
      // A segment at the very end of the buffer may still grow (`.Custo` → `.CustomerId`).
      if (PATH_SEGMENT.lastIndex >= this.text.length) this.more();
      path += m[0];
      this.at = PATH_SEGMENT.lastIndex;
    }
    if (path.startsWith(".")) path = path.slice(1);
    return path ? { $ref: stepId, path } : { $ref: stepId };
  }

  private array(depth: number): unknown[] {
    this.at++; // [
    const items: unknown[] = [];
    for (;;) {
      this.space();
      if (this.peek() === "]") {
        this.at++;
        return items;
      }
      items.push(this.value(depth + 1));
      this.space();
      const c = this.peek();
      this.at++;
      if (c === "]") return items;
      if (c !== ",") throw new Malformed(`expected "," or "]" in a list`);
    }
  }

  private object(depth: number): Record<string, unknown> {
    this.at++; // {
    const out: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.peek() === "}") {
        this.at++;
        return out;
      }
      const key = this.key();
      this.space();
      const sign = this.peek();
      if (sign !== ":" && sign !== "=") throw new Malformed(`expected ":" after "${key}" in an object`);
      this.at++;
      out[key] = this.value(depth + 1);
      this.space();
      const c = this.peek();
      this.at++;
      if (c === "}") return out;
      if (c !== ",") throw new Malformed(`expected "," or "}" in an object`);
    }
  }

  private key(): string {
    const c = this.peek();
    if (c === '"' || c === "'") return this.string();
    const word = this.ident();
    if (word === undefined) {
      throw new Malformed(
        c === ")" ? "unexpected )" : "write each argument as name=value (a value without a name was found)",
      );
    }
    return word;
  }

  private ident(): string | undefined {
    IDENT.lastIndex = this.at;
    const m = IDENT.exec(this.text);
    if (!m) return undefined;
    if (IDENT.lastIndex >= this.text.length) this.more();
    this.at = IDENT.lastIndex;
    return m[0];
  }

  private number(): number {
    NUMBER.lastIndex = this.at;
    const m = NUMBER.exec(this.text);
    if (!m) {
      if (this.at + 1 >= this.text.length) this.more();
      throw new Malformed(`"${this.text.slice(this.at, this.at + 12)}" is not a number`);
    }
    if (NUMBER.lastIndex >= this.text.length) this.more();
    this.at = NUMBER.lastIndex;
    return Number(m[0]);
  }

  /** A JSON string, or a single-quoted one (some models write Python literals). */
  private string(): string {
    const quote = this.text[this.at];
    let i = this.at + 1;
    let raw = "";
    for (;;) {
      if (i >= this.text.length) throw new Incomplete();
      const c = this.text[i];
      if (c === "\\") {
        if (i + 1 >= this.text.length) throw new Incomplete();
        raw += c + this.text[i + 1];
        i += 2;
        continue;
      }
      if (c === quote) break;
      if (c === "\n") throw new Malformed("a string is not closed before the end of the line");
      raw += c;
      i++;
    }
    this.at = i + 1;
    const json = quote === '"' ? raw : raw.replace(/\\'/g, "'").replace(/"/g, '\\"');
    try {
      return JSON.parse(`"${json}"`) as string;
    } catch {
      throw new Malformed(`the string "${raw.slice(0, 40)}" has an invalid escape`);
    }
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  private peek(): string {
    if (this.at >= this.text.length) throw new Incomplete();
    return this.text[this.at];
  }

  /** The buffer ended inside the step: wait for more, or fail when there is no more. */
  private more(): void {
    if (!this.final) throw new Incomplete();
  }
}
