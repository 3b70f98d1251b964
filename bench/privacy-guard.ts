/**
 * Privacy firewall costs: egress scan of a 20 KB body vs 100,000 tainted values (target < 1 ms),
 * value-index match of a 1 KB prompt vs 100,000 indexed values (target well under 1 ms),
 * pseudonymizer without NER (target < 1 ms), and NER cost.  Run: npx tsx bench/privacy-guard.ts
 */
import { createNerDetector, structuredDetectors } from "../src/privacy/detectors/index.js";
import { scanBody } from "../src/privacy/egress-guard.js";
import { PlaceholderVault } from "../src/privacy/placeholder-vault.js";
import { createPseudonymizer } from "../src/privacy/pseudonymizer.js";
import { TaintIndex } from "../src/privacy/taint-index.js";
import { ValueIndex } from "../src/privacy/value-index.js";

const FIRST = [
  "Maria",
  "José",
  "Łukasz",
  "Anna",
  "Jan",
  "Zoë",
  "Ahmed",
  "Mei",
  "Olga",
  "Pierre",
  "Sven",
  "Ana",
];
const LAST = [
  "Keller",
  "García",
  "Wójcik",
  "Novak",
  "Müller",
  "Ørsted",
  "Haddad",
  "Chen",
  "Ivanova",
  "Dubois",
];
let seed = 42;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)]!;

function time(label: string, runs: number, fn: () => unknown): void {
  for (let i = 0; i < Math.min(50, runs); i++) fn(); // warm up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.floor(p * (samples.length - 1))]!.toFixed(3);
  console.log(`${label.padEnd(58)} median ${q(0.5)} ms  p95 ${q(0.95)} ms`);
}

// 100,000 tainted values: names, emails, ids, amounts, free-text notes.
const taint = new TaintIndex();
const index = new ValueIndex();
for (let i = 0; i < 100_000; i++) {
  const name = `${pick(FIRST)} ${pick(LAST)}-${i.toString(36)}`;
  const kind = i % 4;
  const value =
    kind === 0
      ? name
      : kind === 1
        ? `user${i}@example${i % 97}.com`
        : kind === 2
          ? String(1_000_000 + i * 7)
          : `REF-${i}-${(i * 31).toString(16)}`;
  taint.add(value, { type: "TOOL_RESULT", origin: `s${i % 10}` });
  index.add({ type: kind === 1 ? "EMAIL" : "PERSON", value, origin: "crm.customers" });
}

// A 20 KB chat-completions body: system prompt, tool schemas, pseudonymized user prompt.
const words =
  "the of plan tool call customer invoice total date returns rows schema string number step".split(" ");
let prose = "";
while (prose.length < 17_000) prose += `${pick(words)} ${pick(FIRST)} ${Math.floor(rnd() * 1000)} `;
const body = JSON.stringify({
  model: "gpt-x",
  messages: [
    { role: "system", content: prose },
    { role: "user", content: "What did <PERSON_1> (<EMAIL_1>) order in 2013? Über naïve café." },
  ],
  tools: [
    {
      type: "function",
      function: {
        name: "find_customer",
        parameters: { type: "object", properties: { email: { type: "string" } } },
      },
    },
  ],
});
console.log(
  `taint values: ${taint.size}, indexed values: ${index.size}, body: ${(body.length / 1024).toFixed(1)} KB`,
);
const hits = scanBody(body, [taint]);
if (hits.length) console.log("unexpected hits", hits);
time("egress scan, 20 KB body vs 100k tainted values", 300, () => scanBody(body, [taint]));
time("egress scan, 20 KB body vs taint + value index (200k)", 300, () => scanBody(body, [taint, index]));

const prompt = (prose.slice(0, 900) + " José García-3 asked about user77@example77.com").slice(-1024);
time("value-index match, 1 KB prompt vs 100k values", 1000, () => index.match(prompt));

const fast = createPseudonymizer({ valueIndex: index, detectors: structuredDetectors() });
const typical =
  "What did Maria Keller-2s, maria.keller@acme.de, +49 30 1234567, order last month? Her card 4111 1111 1111 1111 was declined; IBAN DE89 3704 0044 0532 0130 00.";
time("pseudonymize typical prompt (structured + 100k index)", 1000, () =>
  fast.pseudonymize(typical, new PlaceholderVault()),
);
time("pseudonymize 1 KB prompt (structured + 100k index)", 500, () =>
  fast.pseudonymize(prompt, new PlaceholderVault()),
);
const ner = createNerDetector();
time("NER (compromise + cues), typical prompt", 200, () => ner.detect(typical));
time("NER (compromise + cues), 1 KB prompt", 100, () => ner.detect(prompt));
