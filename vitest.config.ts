import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // bench/**/*.test.ts are the benches' self-checks: `npm run bench:check`.
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // llama.cpp and PostgreSQL tests are heavy; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
