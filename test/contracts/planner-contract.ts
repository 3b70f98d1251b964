// Moved to src/testing/planner-contract.ts (published as federated-lm/testing); import from there.
export * from "../../src/testing/planner-contract.js";
