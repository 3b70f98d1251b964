/**
 * Gold answers of the Chinook suite, as SQL run against the user's Chinook file when the suite is
 * built (never written by hand): every cell a query returns is a fact the answer must state. Written
 * independently of the tools' SQL, so a tool that returns the wrong rows fails too.
 */
const customer = (where: string) => `SELECT CustomerId FROM Customer WHERE ${where}`;
const byName = (name: string) => customer(`FirstName || ' ' || LastName = '${name}'`);
const byEmail = (email: string) => customer(`Email = '${email}'`);
const latestInvoice = (who: string) =>
  `SELECT InvoiceId FROM Invoice WHERE CustomerId = (${who}) ORDER BY InvoiceDate DESC, InvoiceId DESC LIMIT 1`;
const tracksOf = (invoice: string) =>
  `SELECT t.Name FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId WHERE il.InvoiceId = (${invoice}) ORDER BY il.InvoiceLineId`;
const spent = (who: string) => `SELECT ROUND(SUM(Total), 2) FROM Invoice WHERE CustomerId = (${who})`;
const rep = (who: string) =>
  `SELECT e.FirstName, e.LastName FROM Employee e WHERE e.EmployeeId = (SELECT SupportRepId FROM Customer WHERE CustomerId = (${who}))`;
const revenueByCountry = (year: string | undefined, limit: number) =>
  `SELECT BillingCountry, ROUND(SUM(Total), 2) FROM Invoice ${year ? `WHERE substr(InvoiceDate, 1, 4) = '${year}'` : ""}
   GROUP BY BillingCountry ORDER BY SUM(Total) DESC LIMIT ${limit}`;
const topTracks = (genre: string, n: number) =>
  `SELECT t.Name FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId JOIN Genre g ON g.GenreId = t.GenreId
   WHERE g.Name = '${genre.replace(/'/g, "''")}' GROUP BY t.TrackId ORDER BY SUM(il.Quantity) DESC, t.Name LIMIT ${n}`;
const genreRevenue = (year: string) =>
  `SELECT g.Name, ROUND(SUM(il.UnitPrice * il.Quantity), 2) FROM InvoiceLine il JOIN Invoice i ON i.InvoiceId = il.InvoiceId
   JOIN Track t ON t.TrackId = il.TrackId JOIN Genre g ON g.GenreId = t.GenreId WHERE substr(i.InvoiceDate, 1, 4) = '${year}'
   GROUP BY g.GenreId ORDER BY SUM(il.UnitPrice * il.Quantity) DESC`;
const albums = (artist: string) =>
  `SELECT al.Title, (SELECT COUNT(*) FROM Track t WHERE t.AlbumId = al.AlbumId) FROM Album al JOIN Artist ar ON ar.ArtistId = al.ArtistId WHERE ar.Name = '${artist}'`;
const employee = (id: string) => `SELECT FirstName, LastName FROM Employee WHERE EmployeeId = (${id})`;
const customersOfRep = (id: string) =>
  `SELECT FirstName, LastName FROM Customer WHERE SupportRepId = (${id}) ORDER BY CustomerId`;
const cityCustomers = (city: string) =>
  `SELECT FirstName, LastName FROM Customer WHERE City = '${city}' ORDER BY CustomerId`;

/** Question id → gold queries (each row's cells are facts). */
export const CHINOOK_GOLD: Record<string, string[]> = {
  q01: [revenueByCountry(undefined, 3)],
  q02: [revenueByCountry("2024", 5)],
  q03: [revenueByCountry("2023", 3), revenueByCountry("2024", 3)],
  q04: [topTracks("Rock", 5)],
  q05: [topTracks("Jazz", 3), topTracks("Blues", 3), topTracks("Latin", 3)],
  q06: [`${genreRevenue("2025")} LIMIT 3`],
  q07: [albums("Iron Maiden")],
  q08: [albums("Led Zeppelin"), albums("Deep Purple")],
  q09: [employee("2"), employee("SELECT ReportsTo FROM Employee WHERE EmployeeId = 2")],
  q10: [employee("3"), customersOfRep("3")],
  q11: [tracksOf(latestInvoice(byEmail("luisg@embraer.com.br")))],
  q12: [
    `SELECT e.FirstName, e.LastName, e.Email, e.Phone FROM Employee e WHERE e.EmployeeId = (SELECT SupportRepId FROM Customer WHERE CustomerId = (${byName("Leonie Köhler")}))`,
  ],
  q13: [
    spent(byName("François Tremblay")),
    `SELECT COUNT(*) FROM Invoice WHERE CustomerId = (${byName("François Tremblay")})`,
  ],
  q14: [
    `SELECT InvoiceId FROM Invoice WHERE CustomerId = (${byEmail("bjorn.hansen@yahoo.no")}) ORDER BY InvoiceDate DESC`,
  ],
  q15: [
    `SELECT c.FirstName, c.LastName, ROUND(SUM(i.Total), 2) FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId
     WHERE c.City = 'Prague' GROUP BY c.CustomerId ORDER BY c.CustomerId`,
  ],
  q16: [
    spent(byName("Helena Holý")),
    spent(byName("František Wichterlová")),
    rep(byName("Helena Holý")),
    rep(byName("František Wichterlová")),
  ],
  q17: [
    `SELECT g.Name FROM InvoiceLine il JOIN Invoice i ON i.InvoiceId = il.InvoiceId JOIN Track t ON t.TrackId = il.TrackId
     JOIN Genre g ON g.GenreId = t.GenreId WHERE i.CustomerId = (${byName("Eduardo Martins")})
     GROUP BY g.GenreId ORDER BY SUM(il.Quantity) DESC, g.Name LIMIT 1`,
  ],
  q18: [`SELECT Phone, Address FROM Customer WHERE CustomerId = (${byName("Astrid Gruber")})`],
  q19: [`SELECT City FROM Customer WHERE Email = 'daan_peeters@apple.be'`],
  q20: [`SELECT FirstName, LastName FROM Customer WHERE Country = 'Brazil' ORDER BY CustomerId`],
  q21: [cityCustomers("Berlin")],
  q22: [
    tracksOf(
      `SELECT InvoiceId FROM Invoice WHERE CustomerId = (${byName("Roberto Almeida")}) ORDER BY Total DESC, InvoiceDate DESC LIMIT 1`,
    ),
  ],
  q23: [spent(byName("Kara Nielsen")), rep(byName("Kara Nielsen"))],
  q24: [tracksOf(latestInvoice(byEmail("hholy@gmail.com"))), topTracks("Rock", 3)],
  q25: [`${genreRevenue("2024")} LIMIT 1`],
  q26: [employee("SELECT ReportsTo FROM Employee WHERE EmployeeId = 5"), customersOfRep("5")],
  q27: [
    topTracks("Metal", 1),
    topTracks("Alternative & Punk", 1),
    topTracks("Pop", 1),
    topTracks("Classical", 1),
  ],
  q28: [
    tracksOf(latestInvoice(byName("Mark Philips"))),
    tracksOf(latestInvoice(byName("Jennifer Peterson"))),
  ],
  q29: [
    `SELECT BillingCountry, ROUND(SUM(Total), 2) FROM Invoice WHERE substr(InvoiceDate, 1, 4) = '2025'
     AND BillingCountry IN ('USA', 'Canada', 'Brazil') GROUP BY BillingCountry ORDER BY BillingCountry`,
  ],
  q30: [
    `SELECT FirstName, LastName FROM Customer WHERE SupportRepId = (SELECT SupportRepId FROM Customer WHERE Email = 'jacksmith@microsoft.com')
     AND Email <> 'jacksmith@microsoft.com' ORDER BY CustomerId LIMIT 5`,
  ],
  q31: [cityCustomers("London"), cityCustomers("Paris")],
  q32: [spent(byName("Manoj Pareek")), spent(byName("Puja Srivastava"))],
  q33: [
    tracksOf(latestInvoice(byName("Enrique Muñoz"))),
    rep(byName("Enrique Muñoz")),
    employee(
      `SELECT ReportsTo FROM Employee WHERE EmployeeId = (SELECT SupportRepId FROM Customer WHERE CustomerId = (${byName("Enrique Muñoz")}))`,
    ),
  ],
  q34: [
    `SELECT ROUND(SUM(il.UnitPrice * il.Quantity), 2) FROM InvoiceLine il JOIN Invoice i ON i.InvoiceId = il.InvoiceId JOIN Track t ON t.TrackId = il.TrackId
     JOIN Genre g ON g.GenreId = t.GenreId WHERE g.Name = 'Latin' AND substr(i.InvoiceDate, 1, 4) IN ('2023', '2025') GROUP BY substr(i.InvoiceDate, 1, 4) ORDER BY 1`,
  ],
};
