import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { documentStoreContract } from "../../../test/contracts/document-index-contract.js";
import { SqliteDocumentStore } from "./sqlite-document-store.js";

const root = mkdtempSync(join(tmpdir(), "flm-docs-sqlite-contract-"));
let n = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

documentStoreContract("SQLite (FTS5 + in-process cosine)", {
  create: async () => SqliteDocumentStore.open(join(root, `index-${++n}.sqlite`), { create: true }),
});
