import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import GithubSlugger from "github-slugger";
import { marked, type Token, type Tokens } from "marked";

export interface LinkProblem {
  /** The Markdown file, relative to the root, with `/` separators. */
  file: string;
  line: number;
  href: string;
  problem: string;
}

/** The Markdown files whose links are checked: README.md, CONTRIBUTING.md and everything under docs/. */
export function docsFiles(root: string): string[] {
  const top = ["README.md", "CONTRIBUTING.md"].filter((f) => existsSync(join(root, f)));
  const docs = existsSync(join(root, "docs"))
    ? readdirSync(join(root, "docs"), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".md"))
        .map((f) => `docs/${f.split(sep).join("/")}`)
    : [];
  return [...top, ...docs.sort()];
}

/**
 * Every relative link (and image) in the files must name an existing file or folder, and a
 * `#fragment` into a Markdown file must name one of its headings by GitHub's slug rules (or an
 * explicit `<a id>`). Links with a scheme (`https:`, `mailto:`) are not followed.
 */
export function checkMarkdownLinks(root: string, files: string[] = docsFiles(root)): LinkProblem[] {
  const check = linkChecker(root);
  const problems: LinkProblem[] = [];
  for (const file of files) {
    const source = readFileSync(resolve(root, file), "utf8");
    let searchFrom = 0;
    for (const href of linkTargets(source)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) continue;
      const at = source.indexOf(`](${href}`, searchFrom);
      if (at !== -1) searchFrom = at + 1;
      const problem = check(file, href);
      if (problem) {
        const line = at === -1 ? 0 : source.slice(0, at).split("\n").length;
        problems.push({ file: file.split(sep).join("/"), line, href, problem });
      }
    }
  }
  return problems;
}

/** `check(from, href)`: what is wrong with a relative link written in `from` (a path from the root). */
export function linkChecker(root: string): (from: string, href: string) => string | undefined {
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (file: string) => {
    let anchors = anchorCache.get(file);
    if (!anchors) {
      anchors = headingAnchors(readFileSync(file, "utf8"));
      anchorCache.set(file, anchors);
    }
    return anchors;
  };
  const shown = (path: string) => relative(root, path).split(sep).join("/");
  return (from, href) => {
    const path = resolve(root, from);
    const [target = "", fragment] = splitFragment(href);
    const targetPath = target === "" ? path : resolve(dirname(path), decodeURIComponent(target));
    if (!targetPath.startsWith(resolve(root))) return "points outside the repository";
    if (!existsSync(targetPath)) return `no such file: ${shown(targetPath)}`;
    if (fragment === undefined || !targetPath.endsWith(".md") || statSync(targetPath).isDirectory()) return;
    if (!anchorsOf(targetPath).has(decodeURIComponent(fragment))) {
      return `no heading with the anchor #${fragment} in ${shown(targetPath)}`;
    }
  };
}

/** The anchors GitHub generates for a Markdown document's headings, plus explicit `<a id|name>`. */
export function headingAnchors(markdown: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type === "heading") anchors.add(slugger.slug(plainText((token as Tokens.Heading).tokens)));
    if (token.type === "html") {
      for (const m of token.raw.matchAll(/<a\s[^>]*\b(?:id|name)=["']([^"']+)["']/gi)) anchors.add(m[1]!);
    }
  });
  return anchors;
}

/** Hrefs of every link and image, wherever they sit (paragraphs, lists, tables, headings). */
export function linkTargets(markdown: string): string[] {
  const hrefs: string[] = [];
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type === "link" || token.type === "image") hrefs.push((token as Tokens.Link).href);
  });
  return hrefs;
}

/** The text a reader sees, which is what GitHub slugs: code spans keep their content, markup goes. */
function plainText(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((token) => {
      if (token.type === "html") return "";
      if ("tokens" in token && token.tokens && token.tokens.length > 0) return plainText(token.tokens);
      if (token.type === "codespan" || token.type === "text" || token.type === "escape") {
        return decodeEntities((token as Tokens.Text).text);
      }
      return "";
    })
    .join("");
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function splitFragment(href: string): [string, string | undefined] {
  const hash = href.indexOf("#");
  return hash === -1 ? [href, undefined] : [href.slice(0, hash), href.slice(hash + 1)];
}

/**
 * Pages no reader can reach: Markdown files among `files` that no chain of relative links leads to
 * from README.md. Every page should be linked from the docs index or a page that is.
 */
export function unreachablePages(root: string, files: string[] = docsFiles(root)): string[] {
  const known = new Set(files);
  const reached = new Set<string>(["README.md"]);
  const queue = ["README.md"];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const href of linkTargets(readFileSync(join(root, file), "utf8"))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) continue;
      const [target = ""] = splitFragment(href);
      if (!target.endsWith(".md")) continue;
      const path = relative(root, resolve(dirname(join(root, file)), decodeURIComponent(target)))
        .split(sep)
        .join("/");
      if (known.has(path) && !reached.has(path)) {
        reached.add(path);
        queue.push(path);
      }
    }
  }
  return files.filter((f) => !reached.has(f));
}

/**
 * Pages the code points people to (an error hint's `see docs/guides/x.md#part`): every
 * `docs/….md` mentioned in a source file of `src/`, with its line, checked like a link from the root.
 */
export function sourceDocReferences(root: string): { file: string; line: number; href: string }[] {
  const refs: { file: string; line: number; href: string }[] = [];
  const files = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" }).filter(
    (f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f),
  );
  for (const f of files) {
    const file = `src/${f.split(sep).join("/")}`;
    readFileSync(join(root, file), "utf8")
      .split("\n")
      .forEach((text, i) => {
        for (const m of text.matchAll(/\bdocs\/[\w./-]+\.md(?:#[\w-]+)?/g))
          refs.push({ file, line: i + 1, href: m[0] });
      });
  }
  return refs;
}
