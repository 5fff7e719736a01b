// Issue 10: revoking an API key on one Node process is seen by the very next request on another
// process sharing the database and Redis — two real `imbi serve` processes (not two routers in
// one process, which would share any module-level cache and prove nothing).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort, startProcess } from "../../bench/lib.ts";
import { createAnalytics } from "../../lib/analytics/index.ts";
import { seedIdentity } from "../../lib/identity/setup.ts";
import { startTestDatabase, type TestDatabase } from "../../test/harness/pglite.ts";

const ADMIN = { email: "admin@two-hosts.test", password: "Two-Hosts-Passw0rd!" };

let db: TestDatabase;
const hosts: { url: string; stop(): Promise<void> }[] = [];

beforeAll(async () => {
  db = await startTestDatabase({ analytics: (sql) => createAnalytics({ sql }) });
  await seedIdentity(db.graph, { adminEmail: ADMIN.email, adminPassword: ADMIN.password });
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const p = await startProcess(
      ["apps/node/cli.ts", "serve"],
      {
        ENVIRONMENT: "test",
        POSTGRES_URL: db.url,
        // PGlite has one backend behind its socket; the real server gets a small pool.
        POSTGRES_MAX_POOL_SIZE: db.target === "real" ? "4" : "1",
        UPSTASH_REDIS_REST_URL: inject("upstashUrl"),
        UPSTASH_REDIS_REST_TOKEN: inject("upstashToken"),
        IMBI_AUTH_JWT_SECRET: "two-hosts-jwt-secret-0123456789abcdef0123",
        IMBI_AUTH_ENCRYPTION_KEY: "two-hosts-encryption-key-0123456789abcdef",
        IMBI_API_HOST: "127.0.0.1",
        IMBI_API_PORT: String(port),
        IMBI_ACCESS_LOG: "false",
        IMBI_LOG_LEVEL: "error",
      },
      `${url}/status`,
    );
    hosts.push({ url, stop: p.stop });
  }
}, 180_000);

afterAll(async () => {
  for (const h of hosts) await h.stop();
  await db?.stop();
});

describe("API-key revocation across processes", () => {
  it("is seen by the very next request on the other process", async () => {
    const [a, b] = hosts as [(typeof hosts)[0], (typeof hosts)[0]];
    const login = await fetch(`${a.url}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    const auth = { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" };
    const created = await fetch(`${a.url}/api/api-keys`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "two hosts" }),
    });
    expect(created.status).toBe(201);
    const { key_id, key } = (await created.json()) as { key_id: string; key: string };
    const me = () => fetch(`${b.url}/api/users/me`, { headers: { Authorization: `Bearer ${key}` } });
    // Used on B first, so a per-process cache there would hold the key as valid.
    expect((await me()).status).toBe(200);
    expect((await me()).status).toBe(200);
    const revoked = await fetch(`${a.url}/api/api-keys/${key_id}`, { method: "DELETE", headers: auth });
    expect(revoked.status).toBe(204);
    const after = await me();
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ detail: "Invalid, expired or revoked API key." });
  });
});
