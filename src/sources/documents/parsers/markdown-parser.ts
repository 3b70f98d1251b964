import { decodeText } from "./decode-text.js";
import type { DocumentParser, ParsedDocument, TextBlock } from "./parsed-document.js";

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$/;
const SETEXT_H1 = /^ {0,3}=+[ \t]*$/;
const SETEXT_H2 = /^ {0,3}-+[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

interface Line {
  text: string;
  start: number;
  /** Offset just past the line's newline. */
  next: number;
}

/**
 * Markdown with headings as structure: each heading opens a block whose heading path is the
 * stack of enclosing headings. Body text is kept verbatim (offsets are file offsets); code
 * fences are respected so a `#` comment in a code block is not a heading.
 */
export const markdownParser: DocumentParser = {
  type: "markdown",
  extensions: ["md", "markdown", "mdx"],
  async parse(bytes, path): Promise<ParsedDocument> {
    const source = decodeText(bytes, path);
    const lines = splitLines(source);
    let index = 0;
    let title: string | undefined;

    // YAML front matter: take its title, keep it out of the indexed text.
    if (lines[0]?.text.trim() === "---") {
      const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line.text));
      if (end > 0) {
        for (const line of lines.slice(1, end)) {
          const match = /^title:\s*["']?(.*?)["']?\s*$/.exec(line.text);
          if (match?.[1]) title = match[1];
        }
        index = end + 1;
      }
    }

    const blocks: TextBlock[] = [];
    const stack: string[] = [];
    let blockStart = lines[index]?.start ?? source.length;
    let fence: string | undefined;

    const close = (end: number) => {
      const text = source.slice(blockStart, end);
      if (text.trim()) blocks.push({ text, start: blockStart, headingPath: stack.filter(Boolean) });
    };
    const open = (level: number, heading: string, bodyStart: number) => {
      stack.length = level;
      stack[level - 1] = heading;
      // Fill skipped levels (`#` then `###`) so the path stays dense.
      for (let i = 0; i < level; i++) stack[i] ??= "";
      if (level === 1) title ??= heading;
      blockStart = bodyStart;
    };

    for (; index < lines.length; index++) {
      const line = lines[index];
      const fenceMatch = FENCE.exec(line.text);
      if (fence) {
        if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length)
          fence = undefined;
        continue;
      }
      if (fenceMatch) {
        fence = fenceMatch[1];
        continue;
      }
      const atx = ATX.exec(line.text);
      if (atx) {
        close(line.start);
        open(atx[1].length, cleanInline(atx[2] ?? ""), line.next);
        continue;
      }
      const under = lines[index + 1];
      if (under && line.text.trim() && !/^\s*([-*+>]|\d+[.)])\s/.test(line.text)) {
        const level = SETEXT_H1.test(under.text) ? 1 : SETEXT_H2.test(under.text) ? 2 : 0;
        if (level) {
          close(line.start);
          open(level, cleanInline(line.text.trim()), under.next);
          index++;
        }
      }
    }
    close(source.length);
    return { type: "markdown", title: title || undefined, blocks };
  },
};

function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < source.length) {
    const nl = source.indexOf("\n", start);
    const end = nl === -1 ? source.length : nl;
    lines.push({ text: source.slice(start, end).replace(/\r$/, ""), start, next: nl === -1 ? end : nl + 1 });
    start = end + 1;
  }
  return lines;
}

/** Heading text without inline markup: links keep their label, emphasis and code marks go. */
function cleanInline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`~]+/g, "")
    .trim();
}
