import { existsSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import { seededRandom } from "./seeded-random.js";

const FIRST = [
  "Maria",
  "James",
  "Aisha",
  "Lukas",
  "Sofia",
  "Noah",
  "Emma",
  "Mateo",
  "Olivia",
  "Hiroshi",
  "Fatima",
  "Liam",
  "Chloe",
  "Arjun",
  "Elena",
  "Kwame",
  "Ingrid",
  "Diego",
  "Hannah",
  "Omar",
  "Grace",
  "Mei",
  "Samuel",
  "Zara",
  "Felix",
  "Nadia",
  "Victor",
  "Leila",
  "Tomas",
  "Ruth",
];
const LAST = [
  "Keller",
  "Okafor",
  "Johansson",
  "Moreau",
  "Tanaka",
  "Silva",
  "Novak",
  "Haddad",
  "Fischer",
  "Kowalski",
  "Bianchi",
  "Nguyen",
  "Petrov",
  "Duarte",
  "Lindqvist",
  "Mensah",
  "Rossi",
  "Schneider",
  "Abadi",
  "Brennan",
  "Castillo",
  "Dubois",
  "Eriksen",
  "Farouk",
  "Gallagher",
];
const CITIES = ["Springfield", "Riverton", "Lakeside", "Fairview", "Georgetown", "Brookfield"];
const DIAGNOSES = [
  "hypertension",
  "type 2 diabetes",
  "asthma",
  "migraine",
  "hypothyroidism",
  "osteoarthritis",
  "depression",
  "atrial fibrillation",
  "COPD",
  "anemia",
];
const DEPARTMENTS = [
  "cardiology",
  "endocrinology",
  "pulmonology",
  "neurology",
  "general practice",
  "orthopedics",
];
const REASONS = [
  "follow-up",
  "annual check-up",
  "lab results",
  "medication review",
  "new symptoms",
  "vaccination",
];

export interface ClinicDataset {
  path: string;
  patients: number;
  appointments: number;
  invoices: number;
  /** A patient the demo asks about by name. */
  featuredPatient: string;
  /** A value planted in the data that must never reach the cloud. */
  canary: string;
}

/** Creates (replacing) a synthetic clinic database: same seed, same rows, everywhere. */
export function createClinicDatabase(
  path: string,
  options: { seed?: number; patients?: number } = {},
): ClinicDataset {
  const rng = seededRandom(options.seed ?? 20240611);
  const patientCount = options.patients ?? 120;
  if (existsSync(path)) rmSync(path);
  const db = new Database(path);
  try {
    db.exec(`
      CREATE TABLE patients (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, birth_date TEXT NOT NULL, ssn TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL, phone TEXT NOT NULL, city TEXT NOT NULL, diagnosis TEXT NOT NULL);
      CREATE TABLE appointments (
        id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patients(id), starts_at TEXT NOT NULL,
        department TEXT NOT NULL, reason TEXT NOT NULL, status TEXT NOT NULL);
      CREATE TABLE invoices (
        id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patients(id), appointment_id INTEGER REFERENCES appointments(id),
        amount REAL NOT NULL, status TEXT NOT NULL, due_date TEXT NOT NULL);
      CREATE INDEX appointments_patient ON appointments(patient_id);
      CREATE INDEX invoices_patient ON invoices(patient_id);`);
    const names = new Set<string>();
    const insertPatient = db.prepare("INSERT INTO patients VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    const insertAppt = db.prepare("INSERT INTO appointments VALUES (?, ?, ?, ?, ?, ?)");
    const insertInvoice = db.prepare("INSERT INTO invoices VALUES (?, ?, ?, ?, ?, ?)");
    const pad = (n: number, w: number) => String(n).padStart(w, "0");
    let apptId = 0;
    let invoiceId = 0;
    const canary = "Zephyrine Quillfeather";
    db.transaction(() => {
      for (let id = 1; id <= patientCount; id++) {
        let name = id === patientCount ? canary : `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
        while (names.has(name)) name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
        names.add(name);
        const birth = `${rng.int(1940, 2005)}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)}`;
        const ssn = `${pad(rng.int(100, 665), 3)}-${pad(rng.int(10, 99), 2)}-${pad(rng.int(1000, 9999), 4)}`;
        const email = `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@example.org`;
        const phone = `(555) ${pad(rng.int(200, 999), 3)}-${pad(rng.int(0, 9999), 4)}`;
        insertPatient.run(id, name, birth, ssn, email, phone, rng.pick(CITIES), rng.pick(DIAGNOSES));
        const visits = rng.int(1, 4);
        for (let v = 0; v < visits; v++) {
          apptId++;
          const month = rng.int(1, 12);
          const future = rng.next() < 0.35;
          const year = future ? 2026 : 2025;
          const startsAt = `${year}-${pad(month, 2)}-${pad(rng.int(1, 28), 2)}T${pad(rng.int(8, 16), 2)}:${rng.pick(["00", "30"])}`;
          insertAppt.run(
            apptId,
            id,
            startsAt,
            rng.pick(DEPARTMENTS),
            rng.pick(REASONS),
            future ? "scheduled" : rng.pick(["completed", "completed", "no-show"]),
          );
          if (!future) {
            invoiceId++;
            const amount = Math.round(rng.int(60, 900) * 100 + rng.int(0, 99)) / 100;
            insertInvoice.run(
              invoiceId,
              id,
              apptId,
              amount,
              rng.pick(["paid", "paid", "unpaid", "overdue"]),
              `${year}-${pad(Math.min(12, month + 1), 2)}-15`,
            );
          }
        }
      }
    })();
    const featured = (
      db
        .prepare(
          "SELECT p.name FROM patients p JOIN appointments a ON a.patient_id = p.id WHERE a.status = 'scheduled' AND p.id < ? ORDER BY p.id LIMIT 1",
        )
        .get(patientCount) as { name: string }
    ).name;
    return {
      path,
      patients: patientCount,
      appointments: apptId,
      invoices: invoiceId,
      featuredPatient: featured,
      canary,
    };
  } finally {
    db.close();
  }
}
