/**
 * Do the pseudonymizer and the egress guard agree? (issue 11, item 5) For each prompt: pseudonymize
 * it (all detectors, NER included, plus the declared values), wrap it in a chat-completions body
 * and let the egress guard scan that body against the same declared values. A block there is a
 * false block: a request the pseudonymizer had made safe, lost anyway. Also measures the typo
 * matching of declared names (item 4): matches in texts that mention none of the declared names.
 *
 * Sets: presidio-synth-v2 (every labelled value of every text declared sensitive; needs
 * ../shared or FLM_SHARED_DIR) and prompts written for this bench (code, CSS, file names, ids,
 * surnames that are common words). `--baseline <dir of an older src/privacy>` measures that too.
 *
 * Usage: npx tsx bench/privacy-agreement.ts [--baseline /tmp/before/src/privacy]
 */
import { readFileSync } from "node:fs";
import * as detectors from "../src/privacy/detectors/index.js";
import * as egress from "../src/privacy/scan-body.js";
import * as vault from "../src/privacy/placeholder-vault.js";
import * as pseudo from "../src/privacy/pseudonymizer.js";
import * as values from "../src/privacy/value-index.js";
import { sharedFile } from "../test/helpers/shared-dir.js";
import { loadBaseline } from "./privacy-baseline.js";

type Impl = typeof egress &
  typeof vault &
  typeof pseudo &
  typeof values &
  typeof detectors & { name: string };
const impls: Impl[] = [{ name: "current", ...egress, ...vault, ...pseudo, ...values, ...detectors }];
const baseline = await loadBaseline<Impl>([
  ["scan-body.ts", "egress-guard.ts"],
  "placeholder-vault.ts",
  "pseudonymizer.ts",
  "value-index.ts",
  "detectors/index.ts",
]);
if (baseline) impls.unshift(baseline);

const TYPES: Record<string, string> = {
  PERSON: "PERSON",
  STREET_ADDRESS: "STREET_ADDRESS",
  GPE: "LOCATION",
  ORGANIZATION: "ORGANIZATION",
  CREDIT_CARD: "CREDIT_CARD",
  PHONE_NUMBER: "PHONE",
  EMAIL_ADDRESS: "EMAIL",
  IBAN_CODE: "IBAN",
  US_SSN: "US_SSN",
  IP_ADDRESS: "IP_ADDRESS",
};

interface Gold {
  entity_type: string;
  entity_value: string;
  start_position: number;
  end_position: number;
}
interface Text {
  full_text: string;
  spans: Gold[];
}

/** Prompts a user of a data tool types, with declared surnames that are also common words. */
const OWN_DECLARED = [
  "Green",
  "Brown",
  "White",
  "Rose",
  "May",
  "King",
  "Young",
  "Stone",
  "Page",
  "Price",
  "Olivia Green",
  "Maria Keller",
  "999-12-3456",
  "(402) 555-0142",
  "maria.keller@acme.de",
];
const OWN_PROMPTS = [
  "make the .green-bg class darker",
  "rename green_button to primary_button",
  "why is #green-header hidden on mobile?",
  "the color green-500 looks off in dark mode",
  "set feature flag ui/green to false",
  "is green a good colour for a success badge?",
  "add a brown-300 border to the card",
  "the white-space: nowrap rule breaks the table",
  "open docs/page-layout.md and the price_list.csv",
  "what is the price of the king-size bed in the catalogue?",
  "list stone.tiles and young-adult titles",
  "may I see the invoices from may 2024?",
  "the rose.png icon is blurry",
  "call the price-api endpoint /v1/price/latest",
  "git checkout feature/green-theme && npm test",
  "SELECT price, page FROM books WHERE king_id = 3",
  "Who is Maria Keller?",
  "What did maria keller order in 2013?",
  "Is 999123456 the SSN of Maria Keller?",
  "Who has phone (402) 555-0142?",
  "Mail maria.keller@acme.de the invoice for page 3",
  "Compare Olivia Green's orders with Mr Brown's",
  "rename /customers/maria-keller/ to /customers/olivia-green/",
  "Export users_white_list.json and green.log",
  "the price went up: 4025550142 is not a phone, it is an order id",
  "WHITE, GREEN and ROSE are our three colour themes",
  "use `page.goto(url)` then `page.waitForSelector('.green')`",
  "set PRICE_LIMIT=200 and KING_MODE=false in .env",
  "Kindly ask Mrs White from accounts about the Brown invoice",
  "order 402-555-0142-B shipped; maria.keller@acme.de.bak was deleted",
];

function bodyOf(prompt: string): string {
  return JSON.stringify({
    model: "planner",
    messages: [
      { role: "system", content: "You plan tool calls.\nAnswer with JSON." },
      { role: "user", content: prompt },
    ],
  });
}

function falseBlocks(impl: Impl, declared: Array<{ type: string; value: string }>, prompts: string[]) {
  const index = new impl.ValueIndex();
  for (const d of declared) index.add({ ...d, origin: "declared" });
  const p = impl.createPseudonymizer({ valueIndex: index, detectors: impl.defaultDetectors() });
  let blocked = 0;
  let refused = 0;
  const examples: string[] = [];
  for (const prompt of prompts) {
    let text: string;
    try {
      text = p.pseudonymize(prompt, new impl.PlaceholderVault()).text;
    } catch {
      refused++;
      continue;
    }
    if (impl.scanBody(bodyOf(text), [index]).length > 0) {
      blocked++;
      if (examples.length < 3) examples.push(prompt.slice(0, 70).replace(/\n/g, " "));
    }
  }
  return { blocked, refused, total: prompts.length, examples };
}

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(2)} %`;
function report(label: string, r: ReturnType<typeof falseBlocks>, impl: Impl) {
  const tag = impls.length > 1 ? ` [${impl.name}]` : "";
  console.log(
    `${(label + tag).padEnd(44)} false blocks ${String(r.blocked).padStart(4)} / ${r.total} (${pct(r.blocked, r.total)})`,
  );
  for (const e of r.examples) console.log(`    e.g. ${e}`);
}

const file = sharedFile("data", "presidio-synth-v2.json");
const texts: Text[] | undefined = file ? JSON.parse(readFileSync(file, "utf8")) : undefined;
const presidioDeclared = (texts ?? []).flatMap((t) =>
  t.spans
    .filter((s) => TYPES[s.entity_type])
    .map((s) => ({ type: TYPES[s.entity_type]!, value: s.entity_value })),
);
const own = OWN_DECLARED.map((value) => ({
  type: /\d/.test(value)
    ? value.includes("(")
      ? "PHONE"
      : "US_SSN"
    : value.includes("@")
      ? "EMAIL"
      : "PERSON",
  value,
}));

for (const impl of impls) {
  if (texts)
    report(
      `presidio-synth (${presidioDeclared.length} values declared)`,
      falseBlocks(
        impl,
        presidioDeclared,
        texts.map((t) => t.full_text),
      ),
      impl,
    );
  else console.log("presidio-synth-v2.json not found (set FLM_SHARED_DIR): skipped");
  report(`own prompts (${own.length} values declared)`, falseBlocks(impl, own, OWN_PROMPTS), impl);
}

// Typo matching of declared names: declare the PERSON values of the first half of the set, scan
// the second half; a typo match that overlaps no labelled value of any kind is a false positive.
if (texts) {
  const index = new values.ValueIndex();
  const half = Math.floor(texts.length / 2);
  let names = 0;
  for (const t of texts.slice(0, half))
    for (const s of t.spans)
      if (s.entity_type === "PERSON" && index.add({ type: "PERSON", value: s.entity_value, origin: "x" }))
        names++;
  let typoMatches = 0;
  let falsePositives = 0;
  const examples: string[] = [];
  const scanned = texts.slice(half);
  for (const t of scanned) {
    for (const s of index.match(t.full_text)) {
      if (s.original !== undefined) continue; // exact or identifier form, not a typo
      typoMatches++;
      const labelled = t.spans.some((g) => g.start_position < s.end && s.start < g.end_position);
      if (!labelled) {
        falsePositives++;
        if (examples.length < 5) examples.push(`"${s.value}"`);
      }
    }
  }
  console.log(
    `typo matching: ${names} declared names, ${scanned.length} other texts: ${typoMatches} typo matches, ` +
      `${falsePositives} on unlabelled text (${pct(falsePositives, scanned.length)} of texts)` +
      (examples.length ? `, e.g. ${examples.join(", ")}` : ""),
  );
}
