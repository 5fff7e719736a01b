import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.imbi/**", "**/.wrangler/**"],
    globalSetup: ["./test/global_setup.ts"],
    // Real stores boot per file (PGlite + AGE takes ~2 s); 2 cores → 2 workers.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
