// The real Node host (apps/node/host.ts `serveStores`, what `imbi serve` runs) in this process, on
// a free loopback port, over a fresh database of the file's target: for tests that must go through real
// HTTP and the host's own wiring (its bindings, its static files) rather than the router alone.

import { openStores, type RunningHost, serveStores } from "../../apps/node/host.ts";
import { createAnalytics } from "../../lib/analytics/index.ts";
import { parseEnv, type RawEnv } from "../../lib/env.ts";
import { seedIdentity } from "../../lib/identity/setup.ts";
import { startTestDatabase, type TestDatabase } from "./pglite.ts";

/** A running host and the database behind it. */
export interface TestNodeHost {
  /** `http://127.0.0.1:<port>` */
  url: string;
  db: TestDatabase;
  stop(): Promise<void>;
}

/**
 * Starts the host with embedded analytics and in-process kv/queue; `env` adds settings, `admin`
 * seeds the identity data and a first administrator (before the host opens its own connection:
 * PGlite's single backend must not interleave two clients' statements).
 */
export async function startNodeHost(
  env: RawEnv = {},
  admin?: { email: string; password: string },
): Promise<TestNodeHost> {
  const db = await startTestDatabase({ analytics: (sql) => createAnalytics({ sql }) });
  let host: RunningHost | undefined;
  try {
    if (admin) await seedIdentity(db.graph, { adminEmail: admin.email, adminPassword: admin.password });
    const stores = await openStores(
      parseEnv({
        ENVIRONMENT: "test",
        IMBI_AUTH_JWT_SECRET: "node-host-secret-0123456789abcdef0123456789",
        IMBI_AUTH_ENCRYPTION_KEY: "node-host-encryption-key-0123456789abcdef",
        IMBI_ACCESS_LOG: "false",
        IMBI_LOG_LEVEL: "warn",
        IMBI_API_HOST: "127.0.0.1",
        IMBI_API_PORT: "0",
        // One connection on PGlite (a single backend); the host's default pool on the real server.
        POSTGRES_URL: db.url,
        POSTGRES_MAX_POOL_SIZE: db.target === "real" ? "10" : "1",
        ...env,
      }),
    );
    host = await serveStores(stores);
  } catch (e) {
    await db.stop();
    throw e;
  }
  const running = host;
  return {
    url: running.url,
    db,
    async stop() {
      await running.shutdown();
      await db.stop();
    },
  };
}
