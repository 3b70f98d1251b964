/**
 * The bench's tools: parameterized, read-only SQL over the Chinook SQLite database, shared by all
 * three designs so that only the orchestration differs. Each call can wait a simulated latency.
 */
import Database from "better-sqlite3";
import { z } from "zod";
import { defineTool } from "../../src/tools/define-tool.js";
import type { Tool } from "../../src/tools/tool.js";
import type { SensitiveValue } from "../../src/tools/tool-source.js";

export interface ChinookToolsOptions {
  /** Milliseconds a call waits before it returns (simulated database/network time). */
  latencyMs?: (tool: string, args: unknown) => number;
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export function openChinook(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true });
}

export function createChinookTools(db: Database.Database, options: ChinookToolsOptions = {}): Tool[] {
  const wait = (tool: string, args: unknown) => sleep(options.latencyMs?.(tool, args) ?? 0);
  const ids = z.array(z.number().int()).min(1).max(100);
  const inList = (n: number) => Array.from({ length: n }, () => "?").join(",");

  const findCustomer = defineTool({
    name: "find_customer",
    description:
      "Finds customers by full name, email, city or country (any combination). Returns rows with CustomerId, FirstName, LastName, Company, Address, City, Country, Phone, Email, SupportRepId.",
    input: z.object({
      name: z.string().min(1).optional().describe("Full name, e.g. 'Jane Doe'"),
      email: z.string().min(3).optional(),
      city: z.string().min(1).optional(),
      country: z.string().min(1).optional(),
    }),
    run: async (args) => {
      await wait("find_customer", args);
      const where: string[] = [];
      const params: string[] = [];
      if (args.name) {
        where.push("lower(FirstName || ' ' || LastName) = lower(?)");
        params.push(args.name);
      }
      if (args.email) {
        where.push("lower(Email) = lower(?)");
        params.push(args.email);
      }
      if (args.city) {
        where.push("lower(City) = lower(?)");
        params.push(args.city);
      }
      if (args.country) {
        where.push("lower(Country) = lower(?)");
        params.push(args.country);
      }
      const sql = `SELECT CustomerId, FirstName, LastName, Company, Address, City, Country, Phone, Email, SupportRepId
        FROM Customer ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY CustomerId LIMIT 20`;
      return { rows: db.prepare(sql).all(...params) };
    },
  });

  const listInvoices = defineTool({
    name: "list_invoices",
    description:
      "Invoices of one or more customers, newest first: InvoiceId, CustomerId, InvoiceDate, BillingCity, BillingCountry, Total.",
    input: z.object({ customer_ids: ids }),
    run: async (args) => {
      await wait("list_invoices", args);
      const sql = `SELECT InvoiceId, CustomerId, InvoiceDate, BillingCity, BillingCountry, Total FROM Invoice
        WHERE CustomerId IN (${inList(args.customer_ids.length)}) ORDER BY InvoiceDate DESC, InvoiceId DESC LIMIT 60`;
      return { rows: db.prepare(sql).all(...args.customer_ids) };
    },
  });

  const invoiceLines = defineTool({
    name: "invoice_lines",
    description: "Line items of invoices: InvoiceId, TrackId, Track, Artist, Genre, UnitPrice, Quantity.",
    input: z.object({ invoice_ids: ids }),
    run: async (args) => {
      await wait("invoice_lines", args);
      const sql = `SELECT il.InvoiceId, t.TrackId, t.Name AS Track, ar.Name AS Artist, g.Name AS Genre, il.UnitPrice, il.Quantity
        FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId
        LEFT JOIN Album al ON al.AlbumId = t.AlbumId LEFT JOIN Artist ar ON ar.ArtistId = al.ArtistId
        LEFT JOIN Genre g ON g.GenreId = t.GenreId
        WHERE il.InvoiceId IN (${inList(args.invoice_ids.length)}) ORDER BY il.InvoiceId DESC, il.InvoiceLineId LIMIT 200`;
      return { rows: db.prepare(sql).all(...args.invoice_ids) };
    },
  });

  const topTracks = defineTool({
    name: "top_tracks",
    description: "Best-selling tracks of a genre by units sold: Track, Artist, Album, UnitsSold.",
    input: z.object({ genre: z.string().min(1), limit: z.number().int().min(1).max(25).default(5) }),
    run: async (args) => {
      await wait("top_tracks", args);
      const sql = `SELECT t.Name AS Track, ar.Name AS Artist, al.Title AS Album, SUM(il.Quantity) AS UnitsSold
        FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId JOIN Genre g ON g.GenreId = t.GenreId
        LEFT JOIN Album al ON al.AlbumId = t.AlbumId LEFT JOIN Artist ar ON ar.ArtistId = al.ArtistId
        WHERE lower(g.Name) = lower(?) GROUP BY t.TrackId ORDER BY UnitsSold DESC, t.Name LIMIT ?`;
      return { rows: db.prepare(sql).all(args.genre, args.limit ?? 5) };
    },
  });

  const getEmployee = defineTool({
    name: "get_employee",
    description:
      "An employee (e.g. a customer's support rep) by id: EmployeeId, FirstName, LastName, Title, City, Phone, Email, ReportsTo.",
    input: z.object({ employee_id: z.number().int() }),
    run: async (args) => {
      await wait("get_employee", args);
      const sql = `SELECT EmployeeId, FirstName, LastName, Title, City, Phone, Email, ReportsTo FROM Employee WHERE EmployeeId = ?`;
      return { rows: db.prepare(sql).all(args.employee_id) };
    },
  });

  const salesByCountry = defineTool({
    name: "sales_by_country",
    description:
      "Invoice count and revenue per billing country, highest revenue first, optionally for one year.",
    input: z.object({
      year: z.number().int().min(2000).max(2100).optional(),
      limit: z.number().int().min(1).max(30).default(10),
    }),
    run: async (args) => {
      await wait("sales_by_country", args);
      const sql = `SELECT BillingCountry AS Country, COUNT(*) AS Invoices, ROUND(SUM(Total), 2) AS Revenue FROM Invoice
        ${args.year ? "WHERE strftime('%Y', InvoiceDate) = ?" : ""} GROUP BY BillingCountry ORDER BY Revenue DESC LIMIT ?`;
      const params: Array<string | number> = args.year
        ? [String(args.year), args.limit ?? 10]
        : [args.limit ?? 10];
      return { rows: db.prepare(sql).all(...params) };
    },
  });

  const salesByGenre = defineTool({
    name: "sales_by_genre",
    description: "Units sold and revenue per genre, highest revenue first, optionally for one year.",
    input: z.object({
      year: z.number().int().min(2000).max(2100).optional(),
      limit: z.number().int().min(1).max(25).default(5),
    }),
    run: async (args) => {
      await wait("sales_by_genre", args);
      const sql = `SELECT g.Name AS Genre, SUM(il.Quantity) AS Units, ROUND(SUM(il.UnitPrice * il.Quantity), 2) AS Revenue
        FROM InvoiceLine il JOIN Invoice i ON i.InvoiceId = il.InvoiceId JOIN Track t ON t.TrackId = il.TrackId
        JOIN Genre g ON g.GenreId = t.GenreId ${args.year ? "WHERE strftime('%Y', i.InvoiceDate) = ?" : ""}
        GROUP BY g.GenreId ORDER BY Revenue DESC LIMIT ?`;
      const params: Array<string | number> = args.year
        ? [String(args.year), args.limit ?? 5]
        : [args.limit ?? 5];
      return { rows: db.prepare(sql).all(...params) };
    },
  });

  const customersOfRep = defineTool({
    name: "customers_of_rep",
    description:
      "Customers a support rep looks after: CustomerId, FirstName, LastName, City, Country, Email.",
    input: z.object({ employee_id: z.number().int() }),
    run: async (args) => {
      await wait("customers_of_rep", args);
      const sql = `SELECT CustomerId, FirstName, LastName, City, Country, Email FROM Customer WHERE SupportRepId = ? ORDER BY CustomerId`;
      return { rows: db.prepare(sql).all(args.employee_id) };
    },
  });

  const artistAlbums = defineTool({
    name: "artist_albums",
    description: "Albums of an artist with their track count: Album, Tracks.",
    input: z.object({ artist: z.string().min(1) }),
    run: async (args) => {
      await wait("artist_albums", args);
      const sql = `SELECT al.Title AS Album, COUNT(t.TrackId) AS Tracks FROM Album al JOIN Artist ar ON ar.ArtistId = al.ArtistId
        LEFT JOIN Track t ON t.AlbumId = al.AlbumId WHERE lower(ar.Name) = lower(?) GROUP BY al.AlbumId ORDER BY al.Title`;
      return { rows: db.prepare(sql).all(args.artist) };
    },
  });

  return [
    findCustomer,
    listInvoices,
    invoiceLines,
    topTracks,
    getEmployee,
    salesByCountry,
    salesByGenre,
    customersOfRep,
    artistAlbums,
  ];
}

/** Customer values that must never reach the cloud: full names, emails, phones, street addresses. */
export function chinookSensitiveValues(db: Database.Database): SensitiveValue[] {
  const rows = db
    .prepare("SELECT FirstName || ' ' || LastName AS Name, Email, Phone, Address FROM Customer")
    .all() as Array<{ Name: string; Email: string; Phone: string | null; Address: string | null }>;
  const out: SensitiveValue[] = [];
  for (const r of rows) {
    out.push({ type: "PERSON", value: r.Name, origin: "chinook.Customer.name" });
    out.push({ type: "EMAIL", value: r.Email, origin: "chinook.Customer.Email" });
    if (r.Phone) out.push({ type: "PHONE", value: r.Phone, origin: "chinook.Customer.Phone" });
    if (r.Address) out.push({ type: "ADDRESS", value: r.Address, origin: "chinook.Customer.Address" });
  }
  return out;
}
