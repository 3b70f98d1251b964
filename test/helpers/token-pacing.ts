// Moved to src/testing/token-pacing.ts (published as federated-lm/testing); import from there.
export * from "../../src/testing/token-pacing.js";
