/**
 * A small CRM database in a fresh SQLite file, with known people, emails and orders, for tests
 * that need real data behind real SQL tools. `canary` is planted in every sensitive field.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";

export interface CrmCustomer {
  id: number;
  name: string;
  email: string;
  phone: string;
  city: string;
  note: string;
}

export function createCrmDb(canary = "CANARY-c4f1e2"): { path: string; customers: CrmCustomer[] } {
  const dir = mkdtempSync(join(tmpdir(), "flm-crm-"));
  const path = join(dir, "crm.sqlite");
  const db = new Database(path);
  db.exec(`
    CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT, city TEXT, note TEXT, owner_id TEXT NOT NULL);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), item TEXT, total REAL, ordered_at TEXT);
  `);
  const customers: CrmCustomer[] = [
    {
      id: 1,
      name: "Maria Keller",
      email: "maria.keller@acme.de",
      phone: "+49 30 1234567",
      city: "Berlin",
      note: `vip ${canary}-1`,
    },
    {
      id: 2,
      name: "Jonas Weber",
      email: "jonas.weber@example.org",
      phone: "+49 89 7654321",
      city: "Munich",
      note: `prefers email ${canary}-2`,
    },
    {
      id: 3,
      name: "Amélie Dubois",
      email: "amelie.dubois@example.fr",
      phone: "+33 1 42 68 53 00",
      city: "Paris",
      note: `${canary}-3`,
    },
    {
      id: 4,
      name: "Sven Olsen",
      email: "sven.olsen@example.no",
      phone: "+47 22 33 44 55",
      city: "Oslo",
      note: `${canary}-4`,
    },
  ];
  const insert = db.prepare(
    "INSERT INTO customers VALUES (@id, @name, @email, @phone, @city, @note, @owner)",
  );
  for (const c of customers) insert.run({ ...c, owner: c.id <= 2 ? "alice" : "bob" });
  const order = db.prepare("INSERT INTO orders (customer_id, item, total, ordered_at) VALUES (?, ?, ?, ?)");
  order.run(1, "Standing desk", 649.0, "2026-10-02");
  order.run(1, "Monitor arm", 89.5, "2026-11-12");
  order.run(2, "Office chair", 329.0, "2026-09-20");
  order.run(3, "Lamp", 45.0, "2026-11-01");
  db.close();
  return { path, customers };
}
