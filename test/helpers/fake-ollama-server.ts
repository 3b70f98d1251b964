// Moved to src/testing/fake-ollama-server.ts (published as federated-lm/testing); import from there.
export * from "../../src/testing/fake-ollama-server.js";
