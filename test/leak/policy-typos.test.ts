/**
 * A typo in the privacy policy must not silently let data out (issue 11, item 3), through the
 * CLI: an unknown entity type is a configuration error with a did-you-mean, before anything runs;
 * Presidio's names and any case are accepted for flm's types. Judged by what the fake cloud
 * endpoint received.
 */
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reply } from "../helpers/fake-openai-server.js";
import {
  type CliFixture,
  crmTool,
  findCustomerQuery,
  runCli,
  startCliFixture,
  writeFlmConfig,
  writeSqliteDb,
} from "../e2e/cli-helpers.js";

const CARD = "4111 1111 1111 1111";
let fixture: CliFixture;

beforeAll(async () => {
  fixture = await startCliFixture("policy");
  fixture.cloud.handle(() => reply.json({ steps: [] }));
  fixture.local.handle(() => reply.text("Done."));
  writeSqliteDb(join(fixture.dir, "crm.sqlite"), {
    customers: {
      columns: "id INTEGER PRIMARY KEY, name TEXT, email TEXT, loyalty TEXT",
      rows: [[1, "Maria Keller", "m@acme.de", "GOLD-1"]],
    },
  });
});
afterAll(() => fixture?.close());
beforeEach(() => {
  fixture.cloud.requests.length = 0;
});

const configWith = (privacy: Record<string, unknown>) =>
  writeFlmConfig(fixture, {
    tools: [
      crmTool(
        [findCustomerQuery("id, name")],
        [
          { column: "customers.name", type: "PERSON" },
          { column: "customers.loyalty", type: "LOYALTY_ID" },
        ],
      ),
    ],
    privacy,
  });
const ask = (prompt: string) => runCli(["ask", prompt], { cwd: fixture.dir });

describe("privacy.entities", { timeout: 120_000 }, () => {
  for (const typo of ["CREDITCARD", "LOYALTYID"])
    it(`refuses the typo ${typo} with a did-you-mean, and sends nothing`, async () => {
      configWith({ defaultPolicy: "allow", entities: { [typo]: "block" } });
      const r = await ask(`Charge the card ${CARD} of Maria Keller`);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`privacy.entities.${typo}`);
      expect(r.stderr).toMatch(/did you mean "(CREDIT_CARD|LOYALTY_ID)"/);
      expect(fixture.cloud.requests).toHaveLength(0);
    });

  it("refuses a name that is no type at all, listing the known ones", async () => {
    configWith({ entities: { SOCIAL_MEDIA_HANDLE_X: "block" } });
    const r = await ask("Who is Maria Keller?");
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('unknown entity type "SOCIAL_MEDIA_HANDLE_X"');
    expect(r.stderr).toContain("CREDIT_CARD");
    expect(fixture.cloud.requests).toHaveLength(0);
  });

  for (const key of ["credit-card"])
    it(`applies ${key}: block with defaultPolicy allow: the card never leaves`, async () => {
      configWith({ defaultPolicy: "allow", entities: { [key]: "block" } });
      const r = await ask(`Charge the card ${CARD} of Maria Keller`);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("PRIVACY_POLICY_BLOCKED");
      expect(fixture.cloud.allBodies()).not.toContain("4111");
    });

  it("accepts Presidio's names and a source's declared type", async () => {
    configWith({
      defaultPolicy: "allow",
      entities: {
        EMAIL_ADDRESS: "block",
        PHONE_NUMBER: "pseudonymize",
        LOYALTY_ID: "pseudonymize",
        PERSON: "pseudonymize",
      },
    });
    const blocked = await ask("Mail maria.keller@example.org the invoice");
    expect(blocked.stderr).toContain("PRIVACY_POLICY_BLOCKED");
    const ok = await ask("What is the status of GOLD-1 for Maria Keller, phone +1 402 555 0142?");
    expect(ok.code).toBe(0);
    const sent = fixture.cloud.allBodies();
    expect(sent).not.toContain("GOLD-1");
    expect(sent).not.toContain("Maria Keller");
    expect(sent).not.toContain("555 0142");
  });

  // Declared sensitive values are never "allowed" out by a policy: the egress guard refuses them
  // anyway, so the pseudonymizer must replace them rather than leave them for a block.
  for (const policy of [
    { defaultPolicy: "allow" },
    { entities: { PERSON: "allow", LOYALTY_ID: "allow" } },
    { entities: { DATE_TIME: "allow", PERSON: "allow" }, defaultPolicy: "allow" },
  ])
    it(`pseudonymizes declared values under ${JSON.stringify(policy)}: a placeholder leaves, no block`, async () => {
      configWith(policy);
      const r = await ask("What is the status of GOLD-1 for maria keller?");
      expect(r.stderr).not.toContain("EGRESS_BLOCKED");
      expect(r.code).toBe(0);
      const sent = fixture.cloud.allBodies();
      expect(fixture.cloud.requests.length).toBeGreaterThan(0);
      expect(sent).not.toContain("GOLD-1");
      expect(sent.toLowerCase()).not.toContain("maria keller");
      expect(sent).toMatch(/<PERSON_\d+>/);
    });
});
