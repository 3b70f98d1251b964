/** The config `flm demo` writes: sensitive columns marked, declared queries and a table tool. */
export function demoConfig(options: {
  database: string;
  planner: string | Record<string, unknown>;
  generator: string | Record<string, unknown>;
  canary: string;
}) {
  return {
    name: "clinic",
    planner: options.planner,
    generator: options.generator,
    tools: [
      {
        kind: "sql",
        name: "clinic",
        driver: "sqlite",
        path: options.database,
        readOnly: true,
        sensitive: [
          { column: "patients.name", type: "PERSON" },
          { column: "patients.ssn", type: "US_SSN" },
          { column: "patients.email", type: "EMAIL_ADDRESS" },
          { column: "patients.phone", type: "PHONE_NUMBER" },
          { column: "patients.birth_date", type: "DATE_OF_BIRTH" },
        ],
        queries: [
          {
            name: "find_patient",
            description: "Find a patient by full name. Returns id, name, city and diagnosis.",
            sql: "SELECT id, name, city, diagnosis FROM patients WHERE lower(name) = lower(:name)",
            params: {
              type: "object",
              properties: { name: { type: "string", description: "full name" } },
              required: ["name"],
            },
          },
          {
            name: "patient_appointments",
            description: "Appointments of one patient (by patient id), newest first.",
            sql: "SELECT starts_at, department, reason, status FROM appointments WHERE patient_id = :patient_id ORDER BY starts_at DESC",
            params: {
              type: "object",
              properties: { patient_id: { type: "integer" } },
              required: ["patient_id"],
            },
          },
          {
            name: "diagnosis_counts",
            description: "Number of patients per diagnosis.",
            sql: "SELECT diagnosis, COUNT(*) AS patients FROM patients GROUP BY diagnosis ORDER BY patients DESC",
          },
          {
            name: "top_unpaid_balances",
            description: "Patients with the largest total of unpaid or overdue invoices.",
            sql: "SELECT p.name, ROUND(SUM(i.amount), 2) AS owed, COUNT(*) AS invoices FROM invoices i JOIN patients p ON p.id = i.patient_id WHERE i.status IN ('unpaid', 'overdue') GROUP BY p.id ORDER BY owed DESC LIMIT :limit",
            params: {
              type: "object",
              properties: { limit: { type: "integer", minimum: 1, maximum: 50 } },
              required: ["limit"],
            },
          },
        ],
        tables: [{ name: "appointments" }],
      },
    ],
    privacy: {
      entities: { US_SSN: "block" },
      canaries: [options.canary],
    },
    limits: { maxSteps: 6 },
  };
}

export function demoQuestions(featuredPatient: string): string[] {
  return [
    "How many patients do we have per diagnosis?",
    `When is ${featuredPatient}'s next appointment, and what is it for?`,
    "Which 5 patients owe us the most on unpaid invoices?",
  ];
}
