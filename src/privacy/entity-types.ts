import { editDistance } from "../core/edit-distance.js";
import type { EntityPolicy } from "./pseudonymizer.js";
import { entityType } from "./value-index.js";

/**
 * The one list of entity types flm detects, with the names other tools use for them (Presidio's
 * `EMAIL_ADDRESS`, `PHONE_NUMBER`, `IBAN_CODE`, ...). A privacy policy may name a type by either;
 * a name that is neither, nor a type a source declares for a sensitive column, is a mistake that
 * would silently let data out, so it is refused with the closest known names.
 */
export interface EntityTypeInfo {
  name: string;
  description: string;
  /** What finds it (besides declared values of a column with that type). */
  detectedBy: string;
  /** Other names accepted for it in a policy (Presidio's names first). */
  aliases: readonly string[];
}

export const ENTITY_TYPES: readonly EntityTypeInfo[] = [
  { name: "PERSON", description: "A person's name", detectedBy: "NER and name rules", aliases: ["PER"] },
  {
    name: "ORGANIZATION",
    description: "A company, institution or other organisation",
    detectedBy: "NER, company suffixes",
    aliases: ["ORG", "ORGANISATION"],
  },
  {
    name: "LOCATION",
    description: "A city, country or other place",
    detectedBy: "NER, city gazetteer, country list",
    aliases: ["GPE", "LOC"],
  },
  {
    name: "STREET_ADDRESS",
    description: "A postal street address",
    detectedBy: "address patterns",
    aliases: ["ADDRESS"],
  },
  { name: "EMAIL", description: "An e-mail address", detectedBy: "pattern", aliases: ["EMAIL_ADDRESS"] },
  {
    name: "PHONE",
    description: "A phone number, national or international",
    detectedBy: "digit-group patterns",
    aliases: ["PHONE_NUMBER"],
  },
  {
    name: "CREDIT_CARD",
    description: "A payment card number",
    detectedBy: "pattern + Luhn checksum",
    aliases: ["CREDIT_CARD_NUMBER"],
  },
  {
    name: "IBAN",
    description: "An international bank account number",
    detectedBy: "checksum",
    aliases: ["IBAN_CODE"],
  },
  {
    name: "US_SSN",
    description: "A US social security number",
    detectedBy: "pattern + SSA rules",
    aliases: ["SSN"],
  },
  { name: "IP_ADDRESS", description: "An IPv4 or IPv6 address", detectedBy: "pattern", aliases: ["IP"] },
  {
    name: "DATE_TIME",
    description: "A date or time (allowed by default: planners filter on dates)",
    detectedBy: "date patterns",
    aliases: ["DATE"],
  },
  {
    name: "DATE_OF_BIRTH",
    description: "A date next to a birth cue (born, DOB)",
    detectedBy: "date patterns with a cue",
    aliases: ["DOB", "BIRTH_DATE"],
  },
  {
    name: "SECRET",
    description: "An API key, token or password-like string",
    detectedBy: "known key formats, entropy",
    aliases: ["API_KEY", "CREDENTIAL"],
  },
  {
    name: "URL",
    description: "A web address or bare domain",
    detectedBy: "pattern (scheme, www., known top-level domains)",
    aliases: ["DOMAIN", "DOMAIN_NAME"],
  },
  {
    name: "HANDLE",
    description: "A user name or handle (@name, name#1234, a login after a cue)",
    detectedBy: "pattern and cues",
    aliases: ["USERNAME"],
  },
  {
    name: "ID",
    description: "An identifier or code: order, ticket and account numbers, codes mixing letters and digits",
    detectedBy: "pattern and cues (order, ticket, ref, #, ... in many languages); strict mode's digit runs",
    aliases: ["IDENTIFIER"],
  },
  {
    name: "ACRONYM",
    description: "An acronym that is not common English (SSN, CEO, USA are left alone)",
    detectedBy: "capitals not in the common-acronym list; lower-case runs without vowels",
    aliases: [],
  },
  {
    name: "TERM",
    description: "A product, project or other private name; in strict mode, any word that is not allowed out",
    detectedBy: "CamelCase and name positions; strict mode's allow-list; the local-model review",
    aliases: ["PRODUCT"],
  },
  {
    name: "RESULT_VALUE",
    description: "A value flm gave the user earlier (a tool result), quoted back; cannot be allowed",
    detectedBy: "answer taint, per user, for privacy.answerTaintTtl",
    aliases: [],
  },
  {
    name: "ANSWER_TEXT",
    description: "A passage of an earlier answer, quoted back; cannot be allowed",
    detectedBy: "answer taint, per user, for privacy.answerTaintTtl",
    aliases: [],
  },
  {
    name: "URL_CREDENTIALS",
    description: "A user name and password inside a URL",
    detectedBy: "pattern",
    aliases: [],
  },
];

export interface EntityPolicyIssue {
  /** The policy key as written. */
  key: string;
  message: string;
  hint: string;
}

export interface ResolvedPolicies {
  /** Policies under canonical (or declared) type names. */
  policies: Record<string, EntityPolicy>;
  issues: EntityPolicyIssue[];
}

/** Tool results quoted back: the invariant says they never leave, whatever the policy. */
export const UNALLOWABLE: ReadonlySet<string> = new Set(["RESULT_VALUE", "ANSWER_TEXT"]);

const BY_NAME = new Map<string, string>();
for (const t of ENTITY_TYPES) {
  BY_NAME.set(t.name, t.name);
  for (const alias of t.aliases) BY_NAME.set(alias, t.name);
}

/** The canonical name of an entity type or alias (any case, `-`/space for `_`), or undefined. */
export function canonicalEntityType(name: string, declared: Iterable<string> = []): string | undefined {
  const key = entityType(name);
  for (const d of declared) if (entityType(d) === key) return key;
  return BY_NAME.get(key);
}

/**
 * Checks a policy (`{ CREDIT_CARD: "block" }`) against the known types: flm's own (by name or
 * alias) and the types sources declare for sensitive columns. Returns the policy under canonical
 * names, and one issue per key that names no known type (with the closest names) or that says
 * two different things about one type.
 */
export function resolveEntityPolicies(
  policies: Record<string, EntityPolicy>,
  declared: Iterable<string> = [],
): ResolvedPolicies {
  const declaredTypes = [...new Set([...declared].map(entityType))];
  const out: Record<string, EntityPolicy> = {};
  const from: Record<string, string> = {};
  const issues: EntityPolicyIssue[] = [];
  for (const [key, policy] of Object.entries(policies)) {
    const type = canonicalEntityType(key, declaredTypes);
    if (!type) {
      const close = suggestions(entityType(key), [...BY_NAME.keys(), ...declaredTypes]);
      issues.push({
        key,
        message: `unknown entity type "${key}"${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(" or ")}?` : ""}`,
        hint: `Use one of ${ENTITY_TYPES.map((t) => t.name).join(", ")}${
          declaredTypes.length ? `, or a type a source declares (${declaredTypes.join(", ")})` : ""
        }. See docs/concepts/privacy.md#entity-types.`,
      });
      continue;
    }
    if (UNALLOWABLE.has(type) && policy === "allow") {
      issues.push({
        key,
        message: `${type} cannot be "allow": values flm gave a user earlier never go to the cloud`,
        hint: `Use "pseudonymize" (the default) or "block".`,
      });
      continue;
    }
    if (out[type] !== undefined && out[type] !== policy) {
      issues.push({
        key,
        message: `"${key}" and "${from[type]}" both name ${type}, with different policies ("${policy}", "${out[type]}")`,
        hint: `Keep one of them.`,
      });
      continue;
    }
    out[type] = policy;
    from[type] = key;
  }
  return { policies: out, issues };
}

/** Known names within edit distance 2 (or sharing the letters apart from `_`), closest first. */
function suggestions(name: string, known: string[]): string[] {
  const squash = (s: string) => s.replace(/_/g, "");
  const scored = [...new Set(known)]
    .map((k) => ({ k, d: squash(k) === squash(name) ? 0 : editDistance(name, k) }))
    .filter(({ k, d }) => d <= Math.min(2, Math.floor(k.length / 3)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  // Report the canonical name for an alias.
  return [...new Set(scored.map(({ k }) => BY_NAME.get(k) ?? k))].slice(0, 3);
}
