import { afterAll } from "vitest";
import { conversationVaultStoreContract } from "../../../test/contracts/conversation-vault-store-contract.js";
import { PG_URL, pgTestSchemas } from "../../../test/helpers/pg-test-schemas.js";
import { PostgresConversationVaultStore } from "./postgres-conversation-vault-store.js";

const schemas = pgTestSchemas("conv");
afterAll(() => schemas.dropAll());
const schemaOf = new WeakMap<object, string>();

conversationVaultStoreContract("PostgreSQL (FLM_TEST_PG_URL)", {
  skip: !PG_URL,
  create: async () => {
    const schema = schemas.next();
    const store = await PostgresConversationVaultStore.open({ url: PG_URL, schema, pruneIntervalMs: 0 });
    schemaOf.set(store, schema);
    return store;
  },
  openAnother: (store) =>
    PostgresConversationVaultStore.open({ url: PG_URL, schema: schemaOf.get(store)!, pruneIntervalMs: 0 }),
});
