// Moved to src/testing/tool-source-contract.ts (published as federated-lm/testing); import from there.
export * from "../../src/testing/tool-source-contract.js";
