import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The benches' own self-checks (`npm run bench:check`): workloads validate against their tools and,
 * with ../shared present, run against Chinook. Not part of the unit suite (`npm test`).
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["bench/**/*.test.ts"],
    testTimeout: 60_000,
    maxWorkers: 2,
  },
});
