// Moved to src/testing/http-test-utils.ts (published as federated-lm/testing); import from there.
export * from "../../src/testing/http-test-utils.js";
