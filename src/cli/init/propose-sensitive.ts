import { createNerDetector } from "../../privacy/detectors/ner.js";
import { structuredDetectors } from "../../privacy/detectors/index.js";
import type { Detector } from "../../privacy/span.js";
import type { IntrospectedDatabase } from "./introspect-database.js";

/** A column `flm init` proposes to mark sensitive, and why (counts only, never a value). */
export interface SensitiveProposal {
  /** `table.column`. */
  column: string;
  type: string;
  /** `name`: the column's name says it; `values`: the detectors found it in the sampled values. */
  reason: "name" | "values";
  /** Values of the sample the detectors flagged, and how many were sampled (`values` only). */
  hits?: number;
  sampled?: number;
}

/** Column names that say what they hold (normalized: lower case, no `_`/`-`/spaces). */
const NAME_RULES: Array<[RegExp, string]> = [
  [/e?mail(address)?$/, "EMAIL"],
  [/(phone|mobile|fax|telephone)(number)?$/, "PHONE"],
  [
    /^(first|last|full|given|family|middle|sur|maiden|nick|display|user|customer|contact|employee|patient|person)name$|^surname$/,
    "PERSON",
  ],
  [/^(street)?address\d?$|^street$|^addressline\d?$/, "STREET_ADDRESS"],
  [/^(ssn|socialsecurity(number)?|nationalid|taxid|passport(number)?)$/, "US_SSN"],
  [/^(iban|accountnumber|bankaccount)$/, "IBAN"],
  [/^(creditcard|cardnumber|ccnumber|pan)$/, "CREDIT_CARD"],
  [/^(birthdate|dateofbirth|dob|birthday)$/, "DATE_OF_BIRTH"],
  [/^(ip|ipaddress)$/, "IP_ADDRESS"],
];

/** Detector types too common in ordinary data to propose from values alone (dates, places). */
const NOT_FROM_VALUES = new Set(["DATE_TIME", "LOCATION", "ORGANIZATION"]);

const normalize = (name: string) => name.toLowerCase().replace(/[\s_-]/g, "");

export function typeFromName(column: string): string | undefined {
  const n = normalize(column);
  return NAME_RULES.find(([re]) => re.test(n))?.[1];
}

/** The share of sampled values a detector must flag before its type is proposed. */
export const VALUE_THRESHOLD = 0.6;

/**
 * Proposes sensitive columns from their names, then from the detectors (structured ones and NER)
 * run over a sample of each text column's values. Returns counts only: the values never leave
 * this function.
 */
export async function proposeSensitive(
  db: IntrospectedDatabase,
  options: { sampleSize?: number; detectors?: Detector[] } = {},
): Promise<SensitiveProposal[]> {
  const sampleSize = options.sampleSize ?? 40;
  const detectors = options.detectors ?? [...structuredDetectors(), createNerDetector()];
  const proposals: SensitiveProposal[] = [];
  for (const table of db.tables) {
    for (const col of table.columns) {
      const column = `${table.name}.${col.name}`;
      const byName = typeFromName(col.name);
      if (byName) {
        proposals.push({ column, type: byName, reason: "name" });
        continue;
      }
      if (!/char|text|clob|string|varchar/i.test(col.type)) continue;
      const values = await db.sample(table.name, col.name, sampleSize);
      if (values.length < 3) continue;
      const counts = new Map<string, number>();
      for (const value of values) {
        const types = new Set<string>();
        for (const d of detectors) {
          for (const span of d.detect(value)) {
            // Most of the value, not a word inside a title or a note.
            if (span.end - span.start >= value.trim().length * 0.6) types.add(span.type);
          }
        }
        for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
      }
      const best = [...counts].filter(([t]) => !NOT_FROM_VALUES.has(t)).sort((a, b) => b[1] - a[1])[0];
      if (best && best[1] / values.length >= VALUE_THRESHOLD) {
        proposals.push({ column, type: best[0], reason: "values", hits: best[1], sampled: values.length });
      }
    }
  }
  return proposals;
}
