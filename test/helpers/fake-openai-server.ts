// Moved to src/testing/fake-openai-server.ts (published as federated-lm/testing); import from there.
export * from "../../src/testing/fake-openai-server.js";
