// Moved to src/testing/fake-google-server.ts (published as federated-lm/testing); import from there.
export * from "../../src/testing/fake-google-server.js";
