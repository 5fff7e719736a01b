import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

// Every integration test runs on both databases (DESIGN.md §10): the embedded PGlite + AGE
// (project `pglite`) and a real PostgreSQL 15 + AGE cluster the global setup starts (project
// `postgres`; failures are prefixed with the project's name). IMBI_TEST_POSTGRES=pglite or =real
// runs one target only; unset, `npm test` runs both.

/** Integration tests that never open a Postgres connection: they run once, in `pglite`. */
const NO_POSTGRES = [
  "apps/node/redis_bridge.int.test.ts",
  "lib/analytics/clickhouse.int.test.ts",
  "lib/kv/upstash.int.test.ts",
  "lib/scoring/queue_redis.int.test.ts",
];
/** Races only a real server can show (PGlite serializes everything): `postgres` only. */
const REAL_ONLY = ["test/postgres/**/*.test.ts"];
const EXCLUDE = ["**/node_modules/**", "**/.imbi/**", "**/.wrangler/**"];

// The web app's `@/…` imports (apps/web/vite.config.ts has the same alias).
const resolve = {
  alias: [{ find: /^@\//, replacement: fileURLToPath(new URL("./apps/web/src/", import.meta.url)) }],
};

const common = {
  // Real stores boot per file (PGlite + AGE takes ~2 s).
  pool: "forks",
  testTimeout: 60_000,
  hookTimeout: 120_000,
} as const;

const projects: TestProjectInlineConfiguration[] = [
  {
    resolve,
    test: {
      ...common,
      name: "pglite",
      // Unit tests too: they do not depend on the database, so they run once, here.
      // …and the web app's component tests (apps/web/src/**/*.test.tsx, in happy-dom).
      include: ["**/*.test.ts", "**/*.test.tsx"],
      exclude: [...EXCLUDE, ...REAL_ONLY],
      env: { IMBI_TEST_POSTGRES: "pglite" },
    },
  },
  {
    resolve,
    test: {
      ...common,
      name: "postgres",
      include: ["**/*.int.test.ts", ...REAL_ONLY],
      exclude: [...EXCLUDE, ...NO_POSTGRES],
      env: { IMBI_TEST_POSTGRES: "real" },
    },
  },
];

const only = process.env.IMBI_TEST_POSTGRES;
if (only !== undefined && only !== "" && only !== "pglite" && only !== "real")
  throw new Error(`IMBI_TEST_POSTGRES must be 'pglite' or 'real' (or unset for both), not '${only}'`);

export default defineConfig({
  test: {
    projects: only ? projects.filter((p) => p.test?.env?.IMBI_TEST_POSTGRES === only) : projects,
    // Starts clickhouse-server, redis-server and (for the `postgres` project) the PostgreSQL cluster once per run.
    globalSetup: ["./test/global_setup.ts"],
    // 2 cores → 2 workers, shared by both projects.
    maxWorkers: 2,
    teardownTimeout: 60_000,
  },
});
