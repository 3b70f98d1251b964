/**
 * The prompt-privacy eval set: every template of `templates.ts` instantiated three times with
 * values from `pools.ts` and generated identifiers, in varied styles (a third all lowercase, some
 * with typos in ordinary words, some with names typed lowercase). Deterministic (seeded), so
 * numbers are comparable between runs. Each prompt carries its private units as spans.
 *
 * Split: templates at even positions and even pool entries are the development half; odd ones the
 * held-out half. Rules are developed on `dev` only; `test` is for reporting.
 */
import { ACRONYMS, CITIES, DOMAIN_WORDS, NAMES, ORGS, STREETS, TERMS, USERS } from "./pools.js";
import { TEMPLATES } from "./templates.js";

export type UnitKind =
  | "PERSON"
  | "ORG"
  | "LOCATION"
  | "ADDRESS"
  | "TERM"
  | "HANDLE"
  | "ACRONYM"
  | "ID"
  | "SECRET"
  | "URL"
  | "EMAIL"
  | "PHONE"
  | "DATE";

export interface Unit {
  kind: UnitKind;
  start: number;
  end: number;
  value: string;
}

export interface EvalPrompt {
  id: string;
  split: "dev" | "test";
  lang: string;
  style: string;
  text: string;
  units: Unit[];
}

const KIND: Record<string, UnitKind> = {
  first: "PERSON",
  name: "PERSON",
  last: "PERSON",
  org: "ORG",
  city: "LOCATION",
  addr: "ADDRESS",
  term: "TERM",
  user: "HANDLE",
  handle: "HANDLE",
  acro: "ACRONYM",
  id: "ID",
  order: "ID",
  iban: "ID",
  card: "ID",
  pw: "SECRET",
  key: "SECRET",
  url: "URL",
  domain: "URL",
  email: "EMAIL",
  phone: "PHONE",
  dob: "DATE",
};

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const digits = (r: Rand, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join("");
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
const MIXED = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
const chars = (r: Rand, set: string, n: number) =>
  Array.from({ length: n }, () => pick(r, [...set])).join("");
const half = <T>(xs: readonly T[], split: "dev" | "test"): T[] =>
  xs.filter((_, i) => i % 2 === (split === "dev" ? 0 : 1));

const asciiFold = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();

function id(r: Rand): string {
  const forms = [
    () => `${pick(r, [...UPPER])}${digits(r, 9)}`,
    () => `${chars(r, UPPER, 2)}#-${chars(r, ALNUM, 2)}-${chars(r, ALNUM, 6)}`,
    () => `EMP-${digits(r, 6)}`,
    () => chars(r, "0123456789abcdef", 8),
    () => `INV-20${digits(r, 2)}-${digits(r, 5)}`,
    () => `${chars(r, UPPER, 2)}${digits(r, 6)}`,
    () => `${chars(r, UPPER, 1)}${digits(r, 3)}-${digits(r, 4)}-${digits(r, 3)}`,
    () => `${digits(r, 4)}-${digits(r, 4)}`,
    () => digits(r, 10),
    () => `${chars(r, "abcdefghijkmnopqrstuvwxyz", 3)}${digits(r, 5)}`,
    () => `${digits(r, 3)}/${chars(r, UPPER, 2)}/${digits(r, 4)}`,
    () => `CASE-${digits(r, 5)}`,
  ];
  return pick(r, forms)();
}

function order(r: Rand): string {
  const forms = [
    () => `#${digits(r, 7)}`,
    () => `${chars(r, UPPER, 3)}-${digits(r, 6)}`,
    () => `1Z${chars(r, ALNUM, 16)}`,
    () => digits(r, 11),
    () => `ORD-${chars(r, ALNUM, 8)}`,
    () => chars(r, UPPER + "23456789", 6),
    () => `W${digits(r, 9)}`,
    () => `${digits(r, 3)}-${digits(r, 7)}-${digits(r, 7)}`,
  ];
  return pick(r, forms)();
}

const PW_WORDS = [
  "maple",
  "sunshine",
  "dragon",
  "summer",
  "tiger",
  "coffee",
  "rosebud",
  "falcon",
  "winter",
  "biscuit",
];
function password(r: Rand): string {
  const w = pick(r, PW_WORDS);
  const forms = [
    () => `${w}@${digits(r, 4)}`,
    () => `${w[0]!.toUpperCase()}${w.slice(1)}${digits(r, 2)}!`,
    () => w.replace(/o/g, "0").replace(/a/g, "4").replace(/e/g, "3") + `&${digits(r, 1)}`,
    () => chars(r, MIXED + "!$%", 12),
    () => `${w}${pick(r, PW_WORDS)}${digits(r, 2)}`,
    () => `${w}_${digits(r, 3)}`,
  ];
  return pick(r, forms)();
}

function apiKey(r: Rand): string {
  const forms = [
    () => `sk-${chars(r, MIXED, 40)}`,
    () => `ghp_${chars(r, MIXED, 36)}`,
    () => chars(r, "0123456789abcdef", 32),
    () => `tok_${chars(r, MIXED, 24)}`,
    () => `AKIA${chars(r, ALNUM, 16)}`,
    () => `${chars(r, MIXED, 8)}.${chars(r, MIXED, 10)}`,
  ];
  return pick(r, forms)();
}

const TLDS = ["com", "io", "co.uk", "de", "net", "app", "dev", "fr", "shop", "org"];
function domain(r: Rand, split: "dev" | "test"): string {
  const w = pick(r, half(DOMAIN_WORDS, split));
  return pick(r, [
    `${w}.${pick(r, TLDS)}`,
    `www.${w}.${pick(r, TLDS)}`,
    `${pick(r, ["shop", "portal", "git", "app"])}.${w}.${pick(r, TLDS)}`,
  ]);
}

function url(r: Rand, split: "dev" | "test", user: string, term: string): string {
  const slug = asciiFold(term) || "app";
  const forms = [
    () => `https://github.com/${user.replace(/[^a-z0-9_-]/gi, "")}/${slug}`,
    () => `https://${domain(r, split)}/${pick(r, ["login", "account/settings", "docs", "admin"])}`,
    () => `http://192.168.${digits(r, 1)}.${1 + Math.floor(r() * 250)}:${pick(r, ["8080", "3000", "80"])}`,
    () => `https://gitlab.${pick(r, half(DOMAIN_WORDS, split))}.com/${slug}/${slug}-core.git`,
    () => `${domain(r, split)}/${slug}`,
    () => `https://docs.google.com/spreadsheets/d/${chars(r, MIXED, 20)}`,
  ];
  return pick(r, forms)();
}

function phone(r: Rand): string {
  return pick(r, [
    `+44 7700 900${digits(r, 3)}`,
    `(555) 013-${digits(r, 4)}`,
    `06 ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`,
    `+49 151 ${digits(r, 4)} ${digits(r, 4)}`,
    `010-${digits(r, 4)}-${digits(r, 4)}`,
    `+7 9${digits(r, 2)} ${digits(r, 3)}-${digits(r, 2)}-${digits(r, 2)}`,
    `0${digits(r, 3)} ${digits(r, 3)} ${digits(r, 3)}`,
  ]);
}

function dob(r: Rand): string {
  const d = 1 + Math.floor(r() * 28);
  const m = 1 + Math.floor(r() * 12);
  const y = 2008 + Math.floor(r() * 12);
  const months = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ];
  return pick(r, [
    `${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`,
    `${months[m - 1]} ${d}, ${y}`,
    `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`,
  ]);
}

/** A valid IBAN (mod-97 check digits) for a few countries. */
function iban(r: Rand): string {
  const [cc, len] = pick(r, [
    ["DE", 18],
    ["FR", 23],
    ["NL", 14],
    ["ES", 20],
  ] as const);
  const bban = cc === "NL" ? `${chars(r, UPPER, 4)}${digits(r, 10)}` : digits(r, len);
  const numeric = `${bban}${cc}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of numeric) rem = (rem * 10 + Number(ch)) % 97;
  const check = String(98 - rem).padStart(2, "0");
  return `${cc}${check}${bban}`.replace(/(.{4})/g, "$1 ").trim();
}

/** A Luhn-valid 16-digit card number, grouped. */
function card(r: Rand): string {
  const body = `4${digits(r, 14)}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  const full = body + String((10 - (sum % 10)) % 10);
  return full.replace(/(.{4})/g, "$1 ").trim();
}

function acronym(r: Rand, split: "dev" | "test"): string {
  return r() < 0.6 ? pick(r, half(ACRONYMS, split)) : chars(r, UPPER, 3 + Math.floor(r() * 3));
}

const NO_SPACE_NAMES = new Set(["zh", "ko"]);

interface Filler {
  value(kind: string, n: string): string;
}

function filler(r: Rand, lang: string, split: "dev" | "test"): Filler {
  const chosen = new Map<string, string>();
  const used = new Set<string>();
  const names = half(NAMES[lang] ?? NAMES.en!, split);
  const cities = half(CITIES[lang] ?? CITIES.en!, split);
  const fresh = (make: () => string) => {
    for (let i = 0; i < 20; i++) {
      const v = make();
      if (!used.has(v)) {
        used.add(v);
        return v;
      }
    }
    return make();
  };
  let lastUser: string | undefined;
  let lastTerm: string | undefined;
  const make = (kind: string): string => {
    switch (kind) {
      case "name":
        return fresh(() => pick(r, names));
      case "first": {
        const full = fresh(() => pick(r, names));
        return NO_SPACE_NAMES.has(lang) ? full : full.split(" ")[0]!;
      }
      case "last": {
        const full = fresh(() => pick(r, names));
        return NO_SPACE_NAMES.has(lang) ? full : full.split(" ").at(-1)!;
      }
      case "org":
        return fresh(() => pick(r, half(ORGS, split)));
      case "city":
        return fresh(() => pick(r, cities));
      case "addr":
        return fresh(() => pick(r, half(STREETS[lang] ?? STREETS.en!, split)));
      case "term":
        lastTerm = fresh(() => pick(r, half(TERMS, split)));
        return lastTerm;
      case "user":
        lastUser = fresh(() => pick(r, half(USERS, split)));
        return lastUser;
      case "handle": {
        const u = pick(r, half(USERS, split)).replace(/\./g, "_");
        return r() < 0.6 ? `@${u}` : `${u.replace(/_\d+$/, "")}#${digits(r, 4)}`;
      }
      case "acro":
        return fresh(() => acronym(r, split));
      case "id":
        return id(r);
      case "order":
        return order(r);
      case "pw":
        return password(r);
      case "key":
        return apiKey(r);
      case "url":
        return url(
          r,
          split,
          lastUser ?? pick(r, half(USERS, split)),
          lastTerm ?? pick(r, half(TERMS, split)),
        );
      case "domain":
        return domain(r, split);
      case "email": {
        const n = pick(r, half(NAMES.en!, split)).split(" ");
        const local = r() < 0.5 ? `${asciiFold(n[0]!)}.${asciiFold(n[1]!)}` : pick(r, half(USERS, split));
        return `${local}@${pick(r, [domain(r, split).replace(/^www\./, ""), "gmail.com", "outlook.com"])}`;
      }
      case "phone":
        return phone(r);
      case "dob":
        return dob(r);
      case "iban":
        return iban(r);
      case "card":
        return card(r);
    }
    throw new Error(`unknown slot kind ${kind}`);
  };
  return {
    value(kind, n) {
      const key = `${kind}:${n || "1"}`;
      let v = chosen.get(key);
      if (v === undefined) {
        v = make(kind);
        chosen.set(key, v);
      }
      return v;
    },
  };
}

/** One typo (two adjacent letters swapped) in an ordinary word of at least 5 letters. */
function typo(r: Rand, piece: string): string {
  const words = [...piece.matchAll(/[a-z]{5,}/g)];
  if (words.length === 0) return piece;
  const w = pick(r, words);
  const i = w.index! + 1 + Math.floor(r() * (w[0].length - 2));
  return piece.slice(0, i) + piece[i + 1] + piece[i] + piece.slice(i + 2);
}

const SLOT = /\{(\w+)(?::(\d))?\}/g;

export function buildDataset(): EvalPrompt[] {
  const out: EvalPrompt[] = [];
  TEMPLATES.forEach((template, ti) => {
    const split = ti % 2 === 0 ? "dev" : "test";
    for (let k = 0; k < 3; k++) {
      const r = rng(ti * 7919 + k * 104729 + 17);
      const fill = filler(r, template.lang, split);
      const style =
        k === 0 ? "as written" : r() < 0.5 ? "lowercase" : r() < 0.5 ? "typos" : "lowercase names";
      let text = "";
      const units: Unit[] = [];
      let at = 0;
      for (const m of template.text.matchAll(SLOT)) {
        let piece = template.text.slice(at, m.index);
        if (style === "typos" && r() < 0.5) piece = typo(r, piece);
        if (style === "lowercase") piece = piece.toLowerCase();
        text += piece;
        const kind = m[1]!;
        let value = fill.value(kind, m[2] ?? "");
        if (style === "lowercase" || (style === "lowercase names" && KIND[kind] !== "SECRET"))
          value = value.toLowerCase();
        units.push({ kind: KIND[kind]!, start: text.length, end: text.length + value.length, value });
        text += value;
        at = m.index + m[0].length;
      }
      let tail = template.text.slice(at);
      if (style === "lowercase") tail = tail.toLowerCase();
      text += tail;
      out.push({ id: `${split}-${ti}-${k}`, split, lang: template.lang, style, text, units });
    }
  });
  return out;
}
