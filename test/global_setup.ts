import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { startClickHouse } from "./harness/clickhouse.ts";
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
  // The CLI tests run bin/imbi.mjs as users do, on the compiled build: make sure it is current.
  execFileSync(process.execPath, ["scripts/build.mjs", "--if-stale"], {
    cwd: new URL("..", import.meta.url),
    stdio: "inherit",
  });
  const [ch, redis] = await Promise.all([startClickHouse(), startRedis()]);
  project.provide("clickhouseUrl", ch.url);
  project.provide("redisUrl", redis.redisUrl);
  project.provide("upstashUrl", redis.upstashUrl);
  project.provide("upstashToken", redis.upstashToken);
  return async () => {
    await Promise.allSettled([ch.stop(), redis.stop()]);
  };
}
