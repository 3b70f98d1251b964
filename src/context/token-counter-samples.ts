/** Sample texts for measuring token-count approximations (English prose, JSON rows, a table). */
export const SAMPLES = {
  english:
    "The quarterly report shows that revenue grew by twelve percent, while operating costs remained flat. Customers in Europe renewed their contracts at a higher rate than last year, and the support team resolved most tickets within a day.",
  json: JSON.stringify([
    {
      CustomerId: 12,
      FirstName: "Roberto",
      LastName: "Almeida",
      Email: "roberto.almeida@riotur.gov.br",
      Total: 37.62,
    },
    { CustomerId: 14, FirstName: "Mark", LastName: "Philips", Email: "mphilips12@shaw.ca", Total: 37.62 },
  ]),
  table:
    "| InvoiceId | CustomerId | InvoiceDate | BillingCity | Total |\n|---|---|---|---|---|\n| 98 | 1 | 2010-03-11 | São José dos Campos | 3.98 |\n| 121 | 1 | 2010-06-13 | São José dos Campos | 3.96 |\n| 143 | 1 | 2010-09-15 | São José dos Campos | 5.94 |",
};
