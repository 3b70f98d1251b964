import { type HTMLElement, type Node, parse } from "node-html-parser";
import { decodeText } from "./decode-text.js";
import type { DocumentParser, ParsedDocument, TextBlock } from "./parsed-document.js";

const SKIP = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "head",
  "svg",
  "canvas",
  "iframe",
  "object",
]);
const BLOCK = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "br",
  "dd",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "footer",
  "form",
  "header",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "tbody",
  "td",
  "th",
  "thead",
  "tr",
  "ul",
  "caption",
  "details",
  "summary",
]);

/**
 * HTML via node-html-parser: scripts/styles dropped, block elements become line breaks,
 * `h1`-`h6` open blocks with a heading path. Offsets are into the extracted text.
 */
export const htmlParser: DocumentParser = {
  type: "html",
  extensions: ["html", "htm", "xhtml"],
  async parse(bytes, path): Promise<ParsedDocument> {
    const source = decodeText(bytes, path);
    const root = parse(source, {
      lowerCaseTagName: true,
      comment: false,
      blockTextElements: { script: false, style: false, noscript: false, pre: true },
    });
    const titleText = collapse(root.querySelector("title")?.text ?? "");

    let out = "";
    const blocks: TextBlock[] = [];
    const stack: string[] = [];
    let blockStart = 0;
    let firstH1: string | undefined;

    const newline = () => {
      if (out && !out.endsWith("\n")) out += "\n";
    };
    const close = () => {
      const text = out.slice(blockStart);
      if (text.trim()) blocks.push({ text, start: blockStart, headingPath: stack.filter(Boolean) });
    };
    const walk = (node: Node) => {
      if (node.nodeType === 3) {
        const text = node.text.replace(/[ \t\r\n\f]+/g, " ");
        if (text.trim() || (out && !/\s$/.test(out))) out += out.endsWith("\n") ? text.trimStart() : text;
        return;
      }
      if (node.nodeType !== 1) return;
      const element = node as HTMLElement;
      const tag = element.tagName?.toLowerCase() ?? "";
      if (SKIP.has(tag)) return;
      const heading = /^h([1-6])$/.exec(tag);
      if (heading) {
        newline();
        close();
        const level = Number(heading[1]);
        const text = collapse(element.text);
        stack.length = level;
        stack[level - 1] = text;
        for (let i = 0; i < level; i++) stack[i] ??= "";
        if (level === 1) firstH1 ??= text;
        blockStart = out.length;
        return;
      }
      if (tag === "pre") {
        newline();
        out += element.text;
        newline();
        return;
      }
      if (BLOCK.has(tag)) newline();
      for (const child of element.childNodes) walk(child);
      if (BLOCK.has(tag)) newline();
    };
    walk(root);
    close();
    return { type: "html", title: titleText || firstH1 || undefined, blocks };
  },
};

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
