/**
 * The configuration the built-in Chinook suite runs against: the comparison workload's tools as
 * declared, read-only SQL queries over the Chinook SQLite file, with the customers' names, e-mails,
 * phones and addresses marked sensitive. Models come from the user (flags or their config).
 */
const ids = (description: string) => ({
  type: "array",
  items: { type: "integer" },
  minItems: 1,
  maxItems: 100,
  description,
});
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  properties,
  ...(required.length ? { required } : {}),
});
const year = { type: "integer", minimum: 2000, maximum: 2100, description: "Only this year (optional)." };
const limit = (max: number, dflt: number) => ({ type: "integer", minimum: 1, maximum: max, default: dflt });
// Compared as numbers: a JSON number may be bound as a REAL (2024.0).
const inYear = (column: string) => `(:year IS NULL OR CAST(strftime('%Y', ${column}) AS INTEGER) = :year)`;

export const CHINOOK_QUERIES = [
  {
    name: "find_customer",
    description:
      "Finds customers by full name, email, city or country (any combination). Returns rows with CustomerId, FirstName, LastName, Company, Address, City, Country, Phone, Email, SupportRepId.",
    sql: `SELECT CustomerId, FirstName, LastName, Company, Address, City, Country, Phone, Email, SupportRepId FROM Customer
      WHERE (:name IS NULL OR lower(FirstName || ' ' || LastName) = lower(:name)) AND (:email IS NULL OR lower(Email) = lower(:email))
        AND (:city IS NULL OR lower(City) = lower(:city)) AND (:country IS NULL OR lower(Country) = lower(:country))
        AND coalesce(:name, :email, :city, :country) IS NOT NULL
      ORDER BY CustomerId LIMIT 20`,
    params: obj({
      name: { type: "string", minLength: 1, description: "Full name, e.g. 'Jane Doe'" },
      email: { type: "string", minLength: 3 },
      city: { type: "string", minLength: 1 },
      country: { type: "string", minLength: 1 },
    }),
  },
  {
    name: "list_invoices",
    description:
      "Invoices of one or more customers, newest first: InvoiceId, CustomerId, InvoiceDate, BillingCity, BillingCountry, Total.",
    sql: `SELECT InvoiceId, CustomerId, InvoiceDate, BillingCity, BillingCountry, Total FROM Invoice
      WHERE CustomerId IN (SELECT value FROM json_each(:customer_ids)) ORDER BY InvoiceDate DESC, InvoiceId DESC LIMIT 60`,
    params: obj({ customer_ids: ids("CustomerId values") }, ["customer_ids"]),
  },
  {
    name: "invoice_lines",
    description: "Line items of invoices: InvoiceId, TrackId, Track, Artist, Genre, UnitPrice, Quantity.",
    sql: `SELECT il.InvoiceId, t.TrackId, t.Name AS Track, ar.Name AS Artist, g.Name AS Genre, il.UnitPrice, il.Quantity
      FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId
      LEFT JOIN Album al ON al.AlbumId = t.AlbumId LEFT JOIN Artist ar ON ar.ArtistId = al.ArtistId
      LEFT JOIN Genre g ON g.GenreId = t.GenreId
      WHERE il.InvoiceId IN (SELECT value FROM json_each(:invoice_ids)) ORDER BY il.InvoiceId DESC, il.InvoiceLineId LIMIT 200`,
    params: obj({ invoice_ids: ids("InvoiceId values") }, ["invoice_ids"]),
  },
  {
    name: "top_tracks",
    description: "Best-selling tracks of a genre by units sold: Track, Artist, Album, UnitsSold.",
    sql: `SELECT t.Name AS Track, ar.Name AS Artist, al.Title AS Album, SUM(il.Quantity) AS UnitsSold
      FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId JOIN Genre g ON g.GenreId = t.GenreId
      LEFT JOIN Album al ON al.AlbumId = t.AlbumId LEFT JOIN Artist ar ON ar.ArtistId = al.ArtistId
      WHERE lower(g.Name) = lower(:genre) GROUP BY t.TrackId ORDER BY UnitsSold DESC, t.Name LIMIT coalesce(:limit, 5)`,
    params: obj({ genre: { type: "string", minLength: 1 }, limit: limit(25, 5) }, ["genre"]),
  },
  {
    name: "get_employee",
    description:
      "An employee (e.g. a customer's support rep) by id: EmployeeId, FirstName, LastName, Title, City, Phone, Email, ReportsTo.",
    sql: "SELECT EmployeeId, FirstName, LastName, Title, City, Phone, Email, ReportsTo FROM Employee WHERE EmployeeId = :employee_id",
    params: obj({ employee_id: { type: "integer" } }, ["employee_id"]),
  },
  {
    name: "sales_by_country",
    description:
      "Invoice count and revenue per billing country, highest revenue first, optionally for one year.",
    sql: `SELECT BillingCountry AS Country, COUNT(*) AS Invoices, ROUND(SUM(Total), 2) AS Revenue FROM Invoice
      WHERE ${inYear("InvoiceDate")} GROUP BY BillingCountry ORDER BY Revenue DESC LIMIT coalesce(:limit, 10)`,
    params: obj({ year, limit: limit(30, 10) }),
  },
  {
    name: "sales_by_genre",
    description: "Units sold and revenue per genre, highest revenue first, optionally for one year.",
    sql: `SELECT g.Name AS Genre, SUM(il.Quantity) AS Units, ROUND(SUM(il.UnitPrice * il.Quantity), 2) AS Revenue
      FROM InvoiceLine il JOIN Invoice i ON i.InvoiceId = il.InvoiceId JOIN Track t ON t.TrackId = il.TrackId
      JOIN Genre g ON g.GenreId = t.GenreId WHERE ${inYear("i.InvoiceDate")}
      GROUP BY g.GenreId ORDER BY Revenue DESC LIMIT coalesce(:limit, 5)`,
    params: obj({ year, limit: limit(25, 5) }),
  },
  {
    name: "customers_of_rep",
    description:
      "Customers a support rep looks after: CustomerId, FirstName, LastName, City, Country, Email.",
    sql: "SELECT CustomerId, FirstName, LastName, City, Country, Email FROM Customer WHERE SupportRepId = :employee_id ORDER BY CustomerId",
    params: obj({ employee_id: { type: "integer" } }, ["employee_id"]),
  },
  {
    name: "artist_albums",
    description: "Albums of an artist with their track count: Album, Tracks.",
    sql: `SELECT al.Title AS Album, COUNT(t.TrackId) AS Tracks FROM Album al JOIN Artist ar ON ar.ArtistId = al.ArtistId
      LEFT JOIN Track t ON t.AlbumId = al.AlbumId WHERE lower(ar.Name) = lower(:artist) GROUP BY al.AlbumId ORDER BY al.Title`,
    params: obj({ artist: { type: "string", minLength: 1 } }, ["artist"]),
  },
];

/** Argument defaults of the tools: an expected call does not insist on them. */
export const CHINOOK_DEFAULTS: Record<string, Record<string, unknown>> = {
  top_tracks: { limit: 5 },
  sales_by_country: { limit: 10 },
  sales_by_genre: { limit: 5 },
};

export function chinookConfig(database: string, models: { planner?: unknown; generator?: unknown }) {
  return {
    name: "chinook",
    ...(models.planner !== undefined ? { planner: models.planner } : {}),
    generator: models.generator,
    tools: [
      {
        kind: "sql",
        name: "chinook",
        driver: "sqlite",
        path: database,
        readOnly: true,
        sensitive: [
          { column: "Customer.FirstName", type: "PERSON" },
          { column: "Customer.LastName", type: "PERSON" },
          { column: "Customer.Email", type: "EMAIL_ADDRESS" },
          { column: "Customer.Phone", type: "PHONE_NUMBER" },
          { column: "Customer.Address", type: "ADDRESS" },
        ],
        queries: CHINOOK_QUERIES,
      },
    ],
    limits: { maxSteps: 8 },
  };
}
