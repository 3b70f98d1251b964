/**
 * Fixtures shared by the document-retrieval tests and benchmark: a small known-answer corpus
 * (Markdown, text, HTML, a generated PDF, and commander's MIT-licensed README as real
 * third-party prose), a generated bulk corpus, and a deterministic bag-of-words embedder,
 * in-process or served over HTTP as a fake Ollama `/api/embed` / OpenAI `/v1/embeddings`.
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PDFDocument, StandardFonts } from "pdf-lib";
import type { DocumentStore } from "../src/sources/documents/document-store.js";
import type { Embedder } from "../src/sources/documents/embedders/embedder.js";
import { type SearchOptions, searchIndex } from "../src/sources/documents/search-documents.js";

const here = dirname(fileURLToPath(import.meta.url));

/** commander's README (MIT licence), shipped in node_modules: real prose nobody wrote for these tests. */
export const THIRD_PARTY_README = join(here, "..", "node_modules", "commander", "Readme.md");

export async function makePdf(pages: string[][], title?: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  if (title) doc.setTitle(title);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    lines.forEach((line, i) => {
      page.drawText(line, { x: 50, y: 780 - i * 18, size: 11, font });
    });
  }
  return doc.save();
}

const LEAVE_MD = `---
title: Leave policy
---
# Leave policy

This page describes the kinds of leave Acme employees can take.

## Annual leave

Employees receive 28 days of paid annual leave per year. Unused days may be carried over, up to five days.
Requests go through the HR portal at least two weeks ahead.

## Parental leave

Parents are entitled to 16 weeks of paid parental leave after the birth or adoption of a child.
The leave can be split into two blocks.

## Sick leave

Report sickness to your manager before 10am on the first day. From the fourth day a doctor's note is required.

\`\`\`sh
# this is a shell comment, not a heading
echo done
\`\`\`
`;

const REMOTE_MD = `Remote work
===========

Staff may work from home up to three days a week.

Equipment
---------

The company provides a laptop, a monitor and a headset. Broken equipment is replaced by the IT helpdesk.

Core hours
----------

Core hours are 10:00 to 15:00 in the Berlin time zone. Meetings are not scheduled outside core hours.
`;

const CARS_MD = `# Fleet

## Car insurance

Company cars are insured with a fully comprehensive policy. Report any damage to the fleet office within 24 hours.
`;

const INCIDENT_TXT = `Incident report 2024-03

On 12 March the database server ran out of disk space at 02:14. Writes failed for forty minutes.
The root cause was that log rotation had been disabled during a migration. Rotation was re-enabled
and an alert now fires at 80 percent disk usage.
`;

const VPN_HTML = `<!doctype html>
<html><head><title>VPN setup guide</title><style>body { color: red }</style></head>
<body>
<nav>Home | Guides</nav>
<h1>VPN setup</h1>
<p>Install the WireGuard client and import the configuration file you received from IT &amp; security.</p>
<h2>Troubleshooting</h2>
<p>If the tunnel drops every few minutes, check that the MTU setting is 1380.</p>
<ul><li>Restart the client.</li><li>Check the clock is synchronised.</li></ul>
<script>var leaked = "scriptcontentmustnotbeindexed";</script>
</body></html>
`;

export const HANDBOOK_PAGES = [
  ["Acme employee handbook", "Welcome to Acme. This handbook covers office policies."],
  [
    "Expenses",
    "Submit expense receipts within 45 days through the finance portal.",
    "Meals on business trips are reimbursed up to 60 euros per day.",
  ],
  ["Security", "Security badges must be worn visibly at all times on the premises."],
];

/** Writes the known-answer corpus into `dir`; returns the relative paths written. */
export async function writeTestCorpus(
  dir: string,
  options: { thirdParty?: boolean } = {},
): Promise<string[]> {
  const files: Record<string, string | Uint8Array> = {
    "policies/leave.md": LEAVE_MD,
    "policies/remote-work.md": REMOTE_MD,
    "fleet/cars.md": CARS_MD,
    "notes/incident.txt": INCIDENT_TXT,
    "guide/vpn.html": VPN_HTML,
    "handbook.pdf": await makePdf(HANDBOOK_PAGES, "Acme handbook"),
    "notes/image.png": "not indexed: unsupported extension",
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const written = Object.keys(files).filter((path) => !path.endsWith(".png"));
  if (options.thirdParty !== false && existsSync(THIRD_PARTY_README)) {
    mkdirSync(join(dir, "third-party"), { recursive: true });
    copyFileSync(THIRD_PARTY_README, join(dir, "third-party", "commander-readme.md"));
    written.push("third-party/commander-readme.md");
  }
  return written;
}

const WORDS = (
  "account audit budget client contract data delivery deadline invoice ledger license manager meeting " +
  "network office order payment policy printer project quarter report request review risk salary schedule " +
  "server service shipment software supplier support system team ticket training travel update vendor warehouse"
).split(" ");

const SYLLABLES = "ka lo mi re su ta ne vo pi da lu me ri so fa ge".split(" ");

/**
 * Deterministic pseudo-random prose (Markdown with headings) totalling roughly `bytes`: the
 * common business words above plus 5,000 made-up words drawn with a Zipf-like skew, so term
 * frequencies look like real text rather than a 40-word vocabulary.
 */
export function writeGeneratedCorpus(dir: string, options: { files: number; bytes: number }): number {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const rare = Array.from({ length: 5000 }, (_, i) =>
    [i % 16, (i >> 4) % 16, (i >> 8) % 16, 3 + (i % 5)].map((n) => SYLLABLES[n]).join(""),
  );
  const word = () =>
    random() < 0.5
      ? WORDS[Math.floor(random() * WORDS.length)]
      : rare[Math.floor(random() ** 3 * rare.length)];
  const sentence = () => {
    const n = 8 + Math.floor(random() * 12);
    const words = Array.from({ length: n }, word);
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    return `${words.join(" ")} ${Math.floor(random() * 1000)}.`;
  };
  const perFile = Math.ceil(options.bytes / options.files);
  let total = 0;
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < options.files; f++) {
    let text = `# Document ${f}\n\n`;
    let section = 0;
    while (text.length < perFile) {
      if (text.length > (section + 1) * 2500) text += `\n## Section ${++section} ${word()}\n\n`;
      text += Array.from({ length: 4 }, sentence).join(" ") + "\n\n";
    }
    writeFileSync(join(dir, `doc-${String(f).padStart(4, "0")}.md`), text);
    total += Buffer.byteLength(text);
  }
  return total;
}

/** Query words for the benchmark: a mix of common and rarer corpus words. */
export function benchmarkQueries(count: number): string[] {
  const common = WORDS;
  return Array.from({ length: count }, (_, i) => {
    const rareWord = [i % 16, (i >> 4) % 16, (i * 7) % 16, 3 + (i % 5)].map((n) => SYLLABLES[n]).join("");
    return `${common[i % common.length]} ${common[(i * 13 + 5) % common.length]} ${rareWord}`;
  });
}

// A tiny thesaurus: stands in for what a real embedding model learns, so hybrid search can be
// shown to find passages that share meaning but no words with the query.
const SYNONYMS = new Map<string, string>(
  Object.entries({
    automobile: "car",
    automobiles: "car",
    vehicle: "car",
    vehicles: "car",
    cars: "car",
    coverage: "insurance",
    insured: "insurance",
    insurer: "insurance",
    holiday: "leave",
    holidays: "leave",
    vacation: "leave",
  }),
);

/** Hashed bag-of-words vector (FNV-1a into `dims` buckets), synonyms folded together. */
export function hashEmbedding(text: string, dims = 256): number[] {
  const vector = new Array<number>(dims).fill(0);
  for (const raw of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const token = SYNONYMS.get(raw) ?? raw;
    let hash = 0x811c9dc5;
    for (let i = 0; i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193) >>> 0;
    vector[hash % dims] += 1;
  }
  return vector;
}

/** In-process deterministic embedder (for the benchmark and unit tests). */
export function hashEmbedder(dims = 256, id = "hash-bow"): Embedder {
  return {
    local: true,
    id,
    dimensions: dims,
    embed: async (texts) => texts.map((t) => hashEmbedding(t, dims)),
  };
}

export interface FakeEmbedServer {
  url: string;
  /** Number of texts embedded so far. */
  texts: number;
  requests: { path: string; body: any }[];
  close(): Promise<void>;
}

/** Real HTTP server on 127.0.0.1 speaking Ollama `/api/embed` and OpenAI `/v1/embeddings`. */
export async function startFakeEmbedServer(dims = 256): Promise<FakeEmbedServer> {
  const state: FakeEmbedServer = { url: "", texts: 0, requests: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      let json: any;
      try {
        json = JSON.parse(body);
      } catch {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: "invalid JSON" }));
        return;
      }
      state.requests.push({ path: req.url ?? "", body: json });
      const input: string[] = Array.isArray(json.input) ? json.input : [json.input];
      state.texts += input.length;
      const vectors = input.map((text) => hashEmbedding(String(text), dims));
      res.setHeader("content-type", "application/json");
      if (req.url === "/api/embed") res.end(JSON.stringify({ model: json.model, embeddings: vectors }));
      else if (req.url === "/v1/embeddings") {
        res.end(
          JSON.stringify({ object: "list", data: vectors.map((embedding, index) => ({ index, embedding })) }),
        );
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: "not found" }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs each query once (after one warm-up) and returns the latencies in ms, sorted. */
export async function timeQueries(
  store: DocumentStore,
  queries: string[],
  options: Omit<SearchOptions, "limit">,
): Promise<number[]> {
  await searchIndex(store, "warm up", { ...options, limit: 5 });
  const times: number[] = [];
  for (const query of queries) {
    const t = performance.now();
    await searchIndex(store, query, { ...options, limit: 5 });
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}
