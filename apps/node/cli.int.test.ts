import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verifyPassword } from "../../lib/auth/password.ts";
import { getCredentials } from "../../lib/identity/users.ts";
import { type EmptyDatabase, startEmptyDatabase } from "../../test/harness/pglite.ts";
import { postgresTarget } from "../../test/harness/postgres.ts";
import { loadEnv, openStores } from "./host.ts";

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;
let dataDir = "";
/** On the real target the CLI uses a fresh database of the suite's cluster; else its embedded one. */
let db: EmptyDatabase | undefined;
const postgresUrl = (): Record<string, string> => (db ? { POSTGRES_URL: db.url } : {});

const imbi = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ["--import", "tsx", "apps/node/cli.ts", ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      ENVIRONMENT: "development",
      IMBI_DATA_DIR: dataDir,
      IMBI_LOG_LEVEL: "warn",
      ...postgresUrl(),
      ...env,
    },
  });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "imbi-cli-"));
  if (postgresTarget() === "real") db = await startEmptyDatabase();
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await db?.stop();
});

describe("imbi CLI", () => {
  it("migrate is idempotent", async () => {
    const first = JSON.parse((await imbi(["migrate"])).stdout.trim().split("\n").pop() ?? "{}");
    expect(first.graphCreated).toBe(true);
    expect(first.sqlApplied).toContain("0001_sessions.sql");
    const second = JSON.parse((await imbi(["migrate"])).stdout.trim().split("\n").pop() ?? "{}");
    expect(second).toMatchObject({ graphCreated: false, labelsCreated: [], sqlApplied: [] });
    // Development secrets are generated once and kept private in the data directory.
    expect((await stat(join(dataDir, "secrets.json"))).mode & 0o777).toBe(0o600);
  });

  it("setup prints a generated admin password once", async () => {
    const first = await imbi(["setup"]);
    const password = /password: (\S+)/.exec(first.stdout)?.[1];
    expect(password).toBeTruthy();
    const again = await imbi(["setup"]);
    expect(again.stdout).not.toContain("password:");
    const stores = await openStores(await loadEnv({ IMBI_DATA_DIR: dataDir, ...postgresUrl() }));
    try {
      const creds = await getCredentials(stores.graph, "admin@imbi.local");
      expect(await verifyPassword(password as string, creds?.hash ?? "")).toBe(true);
    } finally {
      await stores.close();
    }
  });

  it("create-admin creates an administrator, and resets an existing one's password", async () => {
    await imbi(["create-admin", "--email", "Root@Example.com", "--password", "Root-Passw0rd!!"]);
    await imbi(["create-admin", "--email", "root@example.com", "--password", "Other-Passw0rd!!"]);
    const stores = await openStores(await loadEnv({ IMBI_DATA_DIR: dataDir, ...postgresUrl() }));
    try {
      const creds = await getCredentials(stores.graph, "root@example.com");
      expect(await verifyPassword("Other-Passw0rd!!", creds?.hash ?? "")).toBe(true);
      const flags = await stores.graph.one("MATCH (u:User {email: $e}) RETURN u.is_admin", {
        e: "root@example.com",
      });
      expect(flags?.v).toBe(true);
    } finally {
      await stores.close();
    }
  });

  it("refuses a weak admin password and a bad setting with a clear message", async () => {
    await expect(
      imbi(["create-admin", "--email", "x@example.com", "--password", "short"]),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining("at least 12 characters"),
    });
    await expect(
      imbi(["migrate"], { IMBI_API_PORT: "eighty", IMBI_AUTH_RATE_LIMIT_LOGIN: "lots" }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/IMBI_API_PORT[\s\S]*IMBI_AUTH_RATE_LIMIT_LOGIN/),
    });
  });

  it("VALKEY_URL points the kv store at a real Redis through the built-in Upstash bridge", async () => {
    const stores = await openStores(
      await loadEnv({
        IMBI_DATA_DIR: dataDir,
        ...postgresUrl(),
        VALKEY_URL: inject("redisUrl").replace("redis:", "valkey:"),
      }),
    );
    try {
      expect(stores.kv.kind).toBe("upstash");
      expect((await stores.kv.ping()).err).toBeUndefined();
      await stores.kv.set("cli-test", { ok: 1 }, { ttlSeconds: 30 });
      expect(await stores.kv.get("cli-test")).toEqual({ ok: 1 });
    } finally {
      await stores.close();
    }
  });
});
