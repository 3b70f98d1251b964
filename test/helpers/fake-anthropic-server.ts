// Moved to src/testing/fake-anthropic-server.ts (published as federated-lm/testing); import from there.
export * from "../../src/testing/fake-anthropic-server.js";
