/**
 * The comparison workload: questions over Chinook with the tool calls a capable cloud model would
 * make. `plan` is what a planner writes without seeing data (a DAG; `$ref` passes values locally).
 * Designs whose cloud model sees the tool results (sequential PoC, ReAct) use `informedPlan` when
 * given: seeing the data lets a model pick exactly the rows it needs. `after` orders steps whose
 * arguments a data-seeing model chose from an earlier result (they run in a later round).
 */
export interface WorkloadStep {
  id: string;
  tool: string;
  args: Record<string, unknown>;
  after?: string[];
}

export interface WorkloadQuestion {
  id: string;
  question: string;
  /** The question names a customer (name or email from the data). */
  pii: boolean;
  plan: WorkloadStep[];
  informedPlan?: WorkloadStep[];
}

const ref = (step: string, path: string) => ({ $ref: step, path });
const s = (id: string, tool: string, args: Record<string, unknown>, after?: string[]): WorkloadStep =>
  after ? { id, tool, args, after } : { id, tool, args };

/** customer → invoices → lines of the latest invoice (3 dependent calls). */
const latestPurchase = (prefix: string, find: Record<string, unknown>): WorkloadStep[] => [
  s(`${prefix}1`, "find_customer", find),
  s(`${prefix}2`, "list_invoices", { customer_ids: [ref(`${prefix}1`, "rows[0].CustomerId")] }),
  s(`${prefix}3`, "invoice_lines", { invoice_ids: [ref(`${prefix}2`, "rows[0].InvoiceId")] }),
];

export const WORKLOAD: WorkloadQuestion[] = [
  {
    id: "q01",
    question: "Which countries brought in the most revenue overall?",
    pii: false,
    plan: [s("s1", "sales_by_country", { limit: 10 })],
  },
  {
    id: "q02",
    question: "What were the top five countries by revenue in 2024?",
    pii: false,
    plan: [s("s1", "sales_by_country", { year: 2024, limit: 5 })],
  },
  {
    id: "q03",
    question: "Compare revenue by country between 2023 and 2024. Which countries grew?",
    pii: false,
    plan: [
      s("s1", "sales_by_country", { year: 2023, limit: 30 }),
      s("s2", "sales_by_country", { year: 2024, limit: 30 }),
    ],
  },
  {
    id: "q04",
    question: "What are the five best-selling Rock tracks?",
    pii: false,
    plan: [s("s1", "top_tracks", { genre: "Rock", limit: 5 })],
  },
  {
    id: "q05",
    question: "Give me the top three tracks in Jazz, Blues and Latin.",
    pii: false,
    plan: [
      s("s1", "top_tracks", { genre: "Jazz", limit: 3 }),
      s("s2", "top_tracks", { genre: "Blues", limit: 3 }),
      s("s3", "top_tracks", { genre: "Latin", limit: 3 }),
    ],
  },
  {
    id: "q06",
    question: "Which genres sold best in 2025?",
    pii: false,
    plan: [s("s1", "sales_by_genre", { year: 2025, limit: 5 })],
  },
  {
    id: "q07",
    question: "Which Iron Maiden albums do we carry, and how many tracks does each have?",
    pii: false,
    plan: [s("s1", "artist_albums", { artist: "Iron Maiden" })],
  },
  {
    id: "q08",
    question: "Compare the Led Zeppelin and Deep Purple catalogues: albums and track counts.",
    pii: false,
    plan: [
      s("s1", "artist_albums", { artist: "Led Zeppelin" }),
      s("s2", "artist_albums", { artist: "Deep Purple" }),
    ],
  },
  {
    id: "q09",
    question: "Who is employee 2, and who is her manager?",
    pii: false,
    plan: [
      s("s1", "get_employee", { employee_id: 2 }),
      s("s2", "get_employee", { employee_id: ref("s1", "rows[0].ReportsTo") }),
    ],
  },
  {
    id: "q10",
    question: "Which customers does support agent 3 look after, and what is the agent's name?",
    pii: false,
    plan: [s("s1", "get_employee", { employee_id: 3 }), s("s2", "customers_of_rep", { employee_id: 3 })],
  },
  {
    id: "q11",
    question: "What did luisg@embraer.com.br buy on the most recent invoice?",
    pii: true,
    plan: latestPurchase("s", { email: "luisg@embraer.com.br" }),
  },
  {
    id: "q12",
    question: "Who is Leonie Köhler's support rep, and how can I reach them?",
    pii: true,
    plan: [
      s("s1", "find_customer", { name: "Leonie Köhler" }),
      s("s2", "get_employee", { employee_id: ref("s1", "rows[0].SupportRepId") }),
    ],
  },
  {
    id: "q13",
    question: "How much has François Tremblay spent with us in total, and how many invoices is that?",
    pii: true,
    plan: [
      s("s1", "find_customer", { name: "François Tremblay" }),
      s("s2", "list_invoices", { customer_ids: [ref("s1", "rows[0].CustomerId")] }),
    ],
  },
  {
    id: "q14",
    question: "List every invoice of bjorn.hansen@yahoo.no with its line items.",
    pii: true,
    plan: [
      s("s1", "find_customer", { email: "bjorn.hansen@yahoo.no" }),
      s("s2", "list_invoices", { customer_ids: [ref("s1", "rows[0].CustomerId")] }),
      s("s3", "invoice_lines", { invoice_ids: ref("s2", "rows[*].InvoiceId") }),
    ],
  },
  {
    id: "q15",
    question: "Which customers live in Prague, and how much has each of them spent?",
    pii: false,
    plan: [
      s("s1", "find_customer", { city: "Prague" }),
      s("s2", "list_invoices", { customer_ids: ref("s1", "rows[*].CustomerId") }),
    ],
  },
  {
    id: "q16",
    question: "Compare how much Helena Holý and František Wichterlová spent, and who their support reps are.",
    pii: true,
    plan: [
      s("s1", "find_customer", { name: "Helena Holý" }),
      s("s2", "find_customer", { name: "František Wichterlová" }),
      s("s3", "list_invoices", { customer_ids: [ref("s1", "rows[0].CustomerId")] }),
      s("s4", "list_invoices", { customer_ids: [ref("s2", "rows[0].CustomerId")] }),
      s("s5", "get_employee", { employee_id: ref("s1", "rows[0].SupportRepId") }),
      s("s6", "get_employee", { employee_id: ref("s2", "rows[0].SupportRepId") }),
    ],
  },
  {
    id: "q17",
    question: "Which genres does Eduardo Martins buy most often?",
    pii: true,
    plan: [
      s("s1", "find_customer", { name: "Eduardo Martins" }),
      s("s2", "list_invoices", { customer_ids: [ref("s1", "rows[0].CustomerId")] }),
      s("s3", "invoice_lines", { invoice_ids: ref("s2", "rows[*].InvoiceId") }),
    ],
  },
  {
    id: "q18",
    question: "What phone number and address do we have on file for Astrid Gruber?",
    pii: true,
    plan: [s("s1", "find_customer", { name: "Astrid Gruber" })],
  },
  {
    id: "q19",
    question: "Is daan_peeters@apple.be one of our customers, and in which city?",
    pii: true,
    plan: [s("s1", "find_customer", { email: "daan_peeters@apple.be" })],
  },
  {
    id: "q20",
    question: "Which customers do we have in Brazil?",
    pii: false,
    plan: [s("s1", "find_customer", { country: "Brazil" })],
  },
  {
    id: "q21",
    question: "Who are our customers in Berlin, and what did each buy on their latest invoice?",
    pii: false,
    plan: [
      s("s1", "find_customer", { city: "Berlin" }),
      s("s2", "list_invoices", { customer_ids: ref("s1", "rows[*].CustomerId") }),
      // Blind: "latest per customer" is not a path, so every invoice's lines are fetched.
      s("s3", "invoice_lines", { invoice_ids: ref("s2", "rows[*].InvoiceId") }),
    ],
    informedPlan: [
      s("s1", "find_customer", { city: "Berlin" }),
      s("s2", "list_invoices", { customer_ids: [36, 38] }, ["s1"]),
      s("s3", "invoice_lines", { invoice_ids: [321, 291] }, ["s2"]),
    ],
  },
  {
    id: "q22",
    question: "What did Roberto Almeida buy on his largest invoice?",
    pii: true,
    plan: [
      s("s1", "find_customer", { name: "Roberto Almeida" }),
      s("s2", "list_invoices", { customer_ids: [ref("s1", "rows[0].CustomerId")] }),
      // Blind: invoices come newest first, so the largest one is not addressable; fetch all lines.
      s("s3", "invoice_lines", { invoice_ids: ref("s2", "rows[*].InvoiceId") }),
    ],
    informedPlan: [
      s("s1", "find_customer", { name: "Roberto Almeida" }),
      s("s2", "list_invoices", { customer_ids: [12] }, ["s1"]),
      s("s3", "invoice_lines", { invoice_ids: [166] }, ["s2"]),
    ],
  },
  {
    id: "q23",
    question: "Give me Kara Nielsen's invoice history and her support rep's contact details.",
    pii: true,
    plan: [
      s("s1", "find_customer", { name: "Kara Nielsen" }),
      s("s2", "list_invoices", { customer_ids: [ref("s1", "rows[0].CustomerId")] }),
      s("s3", "get_employee", { employee_id: ref("s1", "rows[0].SupportRepId") }),
    ],
  },
  {
    id: "q24",
    question:
      "Which tracks did hholy@gmail.com buy on her most recent invoice, and what are the top Rock tracks overall?",
    pii: true,
    plan: [
      ...latestPurchase("s", { email: "hholy@gmail.com" }),
      s("s4", "top_tracks", { genre: "Rock", limit: 5 }),
    ],
  },
  {
    id: "q25",
    question: "What was the best-selling genre in 2024, and what are its top tracks?",
    pii: false,
    plan: [
      s("s1", "sales_by_genre", { year: 2024, limit: 1 }),
      s("s2", "top_tracks", { genre: ref("s1", "rows[0].Genre"), limit: 5 }),
    ],
  },
  {
    id: "q26",
    question: "Which customers does support agent 5 look after, and who is that agent's manager?",
    pii: false,
    plan: [
      s("s1", "get_employee", { employee_id: 5 }),
      s("s2", "get_employee", { employee_id: ref("s1", "rows[0].ReportsTo") }),
      s("s3", "customers_of_rep", { employee_id: 5 }),
    ],
  },
  {
    id: "q27",
    question: "What are the top three tracks in Metal, Alternative & Punk, Pop and Classical?",
    pii: false,
    plan: [
      s("s1", "top_tracks", { genre: "Metal", limit: 3 }),
      s("s2", "top_tracks", { genre: "Alternative & Punk", limit: 3 }),
      s("s3", "top_tracks", { genre: "Pop", limit: 3 }),
      s("s4", "top_tracks", { genre: "Classical", limit: 3 }),
    ],
  },
  {
    id: "q28",
    question: "Show me what Mark Philips and Jennifer Peterson bought on their latest invoices.",
    pii: true,
    plan: [
      ...latestPurchase("a", { name: "Mark Philips" }),
      ...latestPurchase("b", { name: "Jennifer Peterson" }),
    ],
  },
  {
    id: "q29",
    question: "How much revenue did the USA, Canada and Brazil bring in during 2025?",
    pii: false,
    plan: [s("s1", "sales_by_country", { year: 2025, limit: 30 })],
  },
  {
    id: "q30",
    question: "Which other customers does the support rep of jacksmith@microsoft.com look after?",
    pii: true,
    plan: [
      s("s1", "find_customer", { email: "jacksmith@microsoft.com" }),
      s("s2", "customers_of_rep", { employee_id: ref("s1", "rows[0].SupportRepId") }),
    ],
  },
  {
    id: "q31",
    question: "Which customers do we have in London and in Paris?",
    pii: false,
    plan: [s("s1", "find_customer", { city: "London" }), s("s2", "find_customer", { city: "Paris" })],
  },
  {
    id: "q32",
    question: "How much have Manoj Pareek and Puja Srivastava spent, and which genres sell best overall?",
    pii: true,
    plan: [
      s("s1", "find_customer", { name: "Manoj Pareek" }),
      s("s2", "find_customer", { name: "Puja Srivastava" }),
      s("s3", "list_invoices", { customer_ids: [ref("s1", "rows[0].CustomerId")] }),
      s("s4", "list_invoices", { customer_ids: [ref("s2", "rows[0].CustomerId")] }),
      s("s5", "sales_by_genre", { limit: 5 }),
    ],
  },
  {
    id: "q33",
    question:
      "For Enrique Muñoz: his invoices, the lines of his latest invoice, his support rep and that rep's manager.",
    pii: true,
    plan: [
      ...latestPurchase("s", { name: "Enrique Muñoz" }),
      s("s4", "get_employee", { employee_id: ref("s1", "rows[0].SupportRepId") }),
      s("s5", "get_employee", { employee_id: ref("s4", "rows[0].ReportsTo") }),
    ],
  },
  {
    id: "q34",
    question: "Did sales of Latin music grow between 2023 and 2025?",
    pii: false,
    plan: [
      s("s1", "sales_by_genre", { year: 2023, limit: 25 }),
      s("s2", "sales_by_genre", { year: 2025, limit: 25 }),
    ],
  },
];

/** The plan a design uses: blind planners get `plan`, data-seeing loops `informedPlan` when present. */
export function planFor(question: WorkloadQuestion, seesData: boolean): WorkloadStep[] {
  return seesData && question.informedPlan ? question.informedPlan : question.plan;
}

/** Round in which a step can be issued: 0 when it needs nothing, else one after its latest input. */
export function stepLevels(steps: WorkloadStep[]): Map<string, number> {
  const levels = new Map<string, number>();
  const byId = new Map(steps.map((st) => [st.id, st]));
  const level = (id: string, seen: Set<string>): number => {
    const known = levels.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) throw new Error(`workload: steps ${[...seen].join(", ")} form a cycle`);
    const step = byId.get(id);
    if (!step) throw new Error(`workload: unknown step ${id}`);
    const deps = [...new Set([...refsIn(step.args), ...(step.after ?? [])])];
    const l = deps.length ? 1 + Math.max(...deps.map((d) => level(d, new Set([...seen, id])))) : 0;
    levels.set(id, l);
    return l;
  };
  for (const st of steps) level(st.id, new Set());
  return levels;
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value === "object" && value !== null) {
    const r = (value as Record<string, unknown>).$ref;
    if (typeof r === "string") return [r];
    return Object.values(value).flatMap(refsIn);
  }
  return [];
}
