import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { startClickHouse } from "./harness/clickhouse.ts";
import { ensurePackages, TEST_PACKAGES } from "./harness/packages.ts";
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
  const started = await Promise.allSettled([startClickHouse(), startRedis()]);
  const [ch, redis] = started;
  if (ch.status === "rejected" || redis.status === "rejected") {
    // Stop whichever did start, or its child process would keep vitest from exiting.
    await Promise.allSettled(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
    throw ch.status === "rejected" ? ch.reason : (redis as PromiseRejectedResult).reason;
  }
  project.provide("clickhouseUrl", ch.value.url);
  project.provide("redisUrl", redis.value.redisUrl);
  project.provide("upstashUrl", redis.value.upstashUrl);
  project.provide("upstashToken", redis.value.upstashToken);
  return async () => {
    await Promise.allSettled([ch.value.stop(), redis.value.stop()]);
  };
}
