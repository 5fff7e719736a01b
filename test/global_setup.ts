import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { startClickHouse } from "./harness/clickhouse.ts";
import { ensurePackages, TEST_PACKAGES } from "./harness/packages.ts";
import { startPostgresCluster } from "./harness/postgres.ts";
import { startRedis } from "./harness/redis.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the suite's clickhouse-server (database `imbi_test`). */
    clickhouseUrl: string;
    /** redis://127.0.0.1:<port> of the suite's redis-server. */
    redisUrl: string;
    /** The Upstash-REST bridge in front of that redis-server. */
    upstashUrl: string;
    upstashToken: string;
    /** Superuser URL of the suite's PostgreSQL 15 + AGE cluster; only when the `postgres` project runs. */
    postgresAdminUrl: string | undefined;
  }
}

/**
 * Starts the real child-process stores once for the whole run and stops them
 * afterwards — also when tests fail, because vitest always calls the teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // First, before vitest reports anything else (it would say "No test files found"): which
  // Debian packages are missing and how to install them — or install them, when allowed.
  try {
    await ensurePackages(TEST_PACKAGES, (line) => process.stderr.write(`${line}\n`));
  } catch (e) {
    process.stderr.write(`\n${(e as Error).message}\n\n`);
    process.exit(1);
  }
  // The CLI tests run bin/imbi.mjs as users do, on the compiled build: make sure it is current.
  execFileSync(process.execPath, ["scripts/build.mjs", "--if-stale"], {
    cwd: new URL("..", import.meta.url),
    stdio: "inherit",
  });
  // The browser tests drive the built web app (dist/web); a current build is kept (milliseconds).
  execFileSync(process.execPath, ["scripts/build_web.mjs"], {
    cwd: new URL("..", import.meta.url),
    stdio: "inherit",
  });
  // The real PostgreSQL cluster only when the `postgres` project is part of this run.
  const needsPostgres = project.vitest.projects.some((p) => p.name === "postgres");
  const starting = [
    startClickHouse(),
    startRedis(),
    needsPostgres ? startPostgresCluster() : Promise.resolve(undefined),
  ] as const;
  const settled = await Promise.allSettled(starting);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) {
    // Stop what did start, so a failed setup leaves no server behind.
    await Promise.allSettled(settled.map((s) => (s.status === "fulfilled" ? s.value?.stop() : undefined)));
    throw failed.reason;
  }
  const [ch, redis, pg] = await Promise.all(starting);
  project.provide("postgresAdminUrl", pg?.adminUrl);
  project.provide("clickhouseUrl", ch.url);
  project.provide("redisUrl", redis.redisUrl);
  project.provide("upstashUrl", redis.upstashUrl);
  project.provide("upstashToken", redis.upstashToken);
  return async () => {
    await Promise.allSettled([ch.stop(), redis.stop(), pg?.stop()]);
  };
}
