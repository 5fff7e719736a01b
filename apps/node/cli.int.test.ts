import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verifyPassword } from "../../lib/auth/password.ts";
import { getCredentials } from "../../lib/identity/users.ts";
import { type EmptyDatabase, startEmptyDatabase } from "../../test/harness/pglite.ts";
import { postgresTarget } from "../../test/harness/postgres.ts";
import { inProcessApi, loadEnv, openStores } from "./host.ts";

// `imbi` as a user runs it: bin/imbi.mjs, on the compiled build (test/global_setup.ts builds it).
const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;
const BIN = join(ROOT, "bin", "imbi.mjs");
let dataDir = "";
let db: EmptyDatabase | undefined;
const children: ChildProcess[] = [];

const cliEnv = (env: Record<string, string>) => ({
  ...process.env,
  ENVIRONMENT: "development",
  IMBI_DATA_DIR: dataDir,
  IMBI_LOG_LEVEL: "warn",
  // The real target: a fresh database of the suite's cluster instead of the embedded one.
  POSTGRES_URL: db?.url ?? "",
  CLICKHOUSE_URL: "",
  VALKEY_URL: "",
  UPSTASH_REDIS_REST_URL: "",
  ...env,
});
const imbi = (args: string[], env: Record<string, string> = {}, cwd = ROOT) =>
  run(process.execPath, [BIN, ...args], { cwd, env: cliEnv(env) });

/** Every stdout line is one JSON log object with an ISO time, a level and a message. */
function expectJsonLog(stdout: string): Record<string, unknown>[] {
  const lines = stdout.split("\n").filter((l) => l !== "");
  return lines.map((line) => {
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry, line).toMatchObject({ level: expect.any(String), msg: expect.any(String) });
    expect(new Date(String(entry.time)).toISOString(), line).toBe(entry.time);
    return entry;
  });
}

async function holdPort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  return server;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "imbi-cli-"));
  if (postgresTarget() === "real") db = await startEmptyDatabase();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await rm(dataDir, { recursive: true, force: true });
  await db?.stop();
});

describe("imbi CLI: arguments", () => {
  it("runs the compiled build", async () => {
    expect((await imbi(["--version"])).stdout).toMatch(/^imbi \d+\.\d+\.\d+ \(compiled build of /);
  });

  it("--help on any command prints that command's help and starts nothing", async () => {
    const untouched = join(dataDir, "never-created");
    for (const command of ["serve", "migrate", "setup", "create-admin", "consume-scores", "db-url"]) {
      for (const flag of ["--help", "-h"]) {
        const { stdout, stderr } = await imbi([command, flag], { IMBI_DATA_DIR: untouched });
        expect(stdout).toContain(`Usage: imbi ${command}`);
        expect(stderr).toBe("");
      }
    }
    expect((await imbi(["help", "serve"])).stdout).toContain("Usage: imbi serve");
    expect(existsSync(untouched)).toBe(false);
  });

  it("says a command is unknown, and shows the usage, with exit code 2", async () => {
    const err = await imbi(["frobnicate"]).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2, stdout: "" });
    expect((err as { stderr: string }).stderr).toMatch(/^imbi: unknown command 'frobnicate'\n/);
    expect((err as { stderr: string }).stderr).toContain("Usage: imbi <command>");
    await expect(imbi(["serve", "--bogus"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^imbi serve: unknown option '--bogus'\n/),
    });
  });

  it("create-admin without --email says so in one line a person reads", async () => {
    const err = await imbi(["create-admin"]).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(err).toMatchObject({ code: 2, stdout: "" });
    const [first] = (err as { stderr: string }).stderr.split("\n");
    expect(first).toBe(
      "imbi create-admin: --email is required, e.g. imbi create-admin --email ops@example.com",
    );
    expect((err as { stderr: string }).stderr).not.toContain("{");
  });

  it("a busy API port stops serve before anything is created, with the setting to change", async () => {
    const busy = await holdPort();
    const port = (busy.address() as { port: number }).port;
    const fresh = join(dataDir, "busy");
    try {
      const err = await imbi(["serve"], {
        IMBI_DATA_DIR: fresh,
        IMBI_API_HOST: "127.0.0.1",
        IMBI_API_PORT: String(port),
      }).catch((e: { code: number; stdout: string; stderr: string }) => e);
      expect((err as { code: number }).code).toBe(1);
      const { stderr } = err as { stderr: string };
      expect(stderr).toContain(`imbi: port ${port} is in use — set IMBI_API_PORT`);
      expect(stderr).not.toMatch(/password:|EADDRINUSE|\n\s+at /);
      // Checked before migrating or seeding: no database, so no administrator with a lost password.
      expect(existsSync(join(fresh, "pgdata"))).toBe(false);
    } finally {
      busy.close();
    }
  });
});

describe("imbi CLI: commands", () => {
  it("migrate is idempotent and logs JSON lines", async () => {
    const first = expectJsonLog((await imbi(["migrate"], { IMBI_LOG_LEVEL: "info" })).stdout);
    const migrated = first.find((l) => l.msg === "migrated");
    expect(migrated?.graphCreated).toBe(true);
    expect(migrated?.sqlApplied).toContain("0001_sessions.sql");
    const second = expectJsonLog((await imbi(["migrate"], { IMBI_LOG_LEVEL: "info" })).stdout);
    expect(second.find((l) => l.msg === "migrated")).toMatchObject({
      graphCreated: false,
      labelsCreated: [],
      sqlApplied: [],
    });
    // Development secrets are generated once and kept private in a private data directory.
    expect((await stat(join(dataDir, "secrets.json"))).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
  });

  it("setup shows a generated admin password once, on stderr, and says so in words on a rerun", async () => {
    const first = await imbi(["setup"], { IMBI_LOG_LEVEL: "info" });
    const password = /password: (\S+)/.exec(first.stderr)?.[1];
    expect(password).toBeTruthy();
    expect(first.stdout).not.toContain(password as string);
    // Imbi's own service accounts: their generated credentials are shown once on stderr, never logged.
    const schedulerSecret = /client_secret (\S+)/.exec(first.stderr)?.[1];
    const gatewayKey = /API key (ik_\S+)/.exec(first.stderr)?.[1];
    expect(schedulerSecret).toBeTruthy();
    expect(gatewayKey).toBeTruthy();
    expect(first.stdout).not.toContain(schedulerSecret as string);
    expect(first.stdout).not.toContain(gatewayKey as string);
    expect(expectJsonLog(first.stdout).find((l) => String(l.msg).startsWith("setup"))).toMatchObject({
      msg: "setup: initialized",
      organizationCreated: "default",
      adminCreated: "admin@imbi.local",
    });

    const again = await imbi(["setup"], { IMBI_LOG_LEVEL: "info" });
    expect(again.stderr).not.toContain("password:");
    expect(again.stderr).not.toContain("client_secret");
    expect(again.stderr).not.toContain("API key");
    expect(again.stderr).toContain("already set up");
    const setupLine = expectJsonLog(again.stdout).find((l) => String(l.msg).startsWith("setup"));
    expect(setupLine?.msg).toBe("setup: already initialized; permissions and system roles are up to date");
    expect(Object.values(setupLine ?? {})).not.toContain(null);

    const stores = await openStores(await loadEnv({ IMBI_DATA_DIR: dataDir, POSTGRES_URL: db?.url }));
    try {
      const creds = await getCredentials(stores.graph, "admin@imbi.local");
      expect(await verifyPassword(password as string, creds?.hash ?? "")).toBe(true);
    } finally {
      await stores.close();
    }
  });

  it("logs which config.toml it read, or that there was none", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "imbi-cli-cwd-"));
    try {
      const none = expectJsonLog((await imbi(["migrate"], { IMBI_LOG_LEVEL: "info" }, cwd)).stdout);
      const noneLine = none.find((l) => String(l.msg).includes("config"));
      expect(noneLine?.msg).toBe("no config.toml found; using the environment and defaults");
      expect(noneLine?.searched).toContain(join(cwd, "config.toml"));

      await writeFile(join(cwd, "config.toml"), '[server]\nhost = "127.0.0.1"\n');
      const loaded = expectJsonLog((await imbi(["migrate"], { IMBI_LOG_LEVEL: "info" }, cwd)).stdout);
      const line = loaded.find((l) => l.msg === "config loaded");
      expect(line?.files).toContain(join(cwd, "config.toml"));
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it("create-admin creates an administrator, and resets an existing one's password", async () => {
    await imbi(["create-admin", "--email", "Root@Example.com", "--password", "Root-Passw0rd!!"]);
    await imbi(["create-admin", "--email", "root@example.com", "--password", "Other-Passw0rd!!"]);
    const stores = await openStores(await loadEnv({ IMBI_DATA_DIR: dataDir, POSTGRES_URL: db?.url }));
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
      code: 2,
      stderr: expect.stringContaining("at least 12 characters"),
    });
    await expect(
      imbi(["migrate"], { IMBI_API_PORT: "eighty", IMBI_AUTH_RATE_LIMIT_LOGIN: "lots" }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/IMBI_API_PORT[\s\S]*IMBI_AUTH_RATE_LIMIT_LOGIN/),
    });
  });

  it("API calls made in process (the demo loader) write no access-log line each", async () => {
    const stores = await openStores(
      await loadEnv({ IMBI_DATA_DIR: dataDir, POSTGRES_URL: db?.url, IMBI_ACCESS_LOG: "true" }),
    );
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    try {
      const api = await inProcessApi(stores, "admin@imbi.local");
      process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        lines.push(String(chunk));
        return write(chunk, ...rest);
      }) as typeof process.stdout.write;
      for (let i = 0; i < 3; i++) expect((await api("GET", "/api/organizations")).status).toBe(200);
    } finally {
      process.stdout.write = write;
      await stores.close();
    }
    expect(lines.filter((l) => l.includes('"msg":"request"'))).toEqual([]);
  });

  it("VALKEY_URL points the kv store at a real Redis through the built-in Upstash bridge", async () => {
    const stores = await openStores(
      await loadEnv({
        IMBI_DATA_DIR: dataDir,
        POSTGRES_URL: db?.url,
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

// The embedded database's own boot (socket, password gate, db-url): PGlite only.
describe.skipIf(postgresTarget() === "real")("imbi serve: first boot", () => {
  it("says what it is doing, keeps stdout JSON, and never logs the database password", {
    timeout: 120_000,
  }, async () => {
    const fresh = await mkdtemp(join(tmpdir(), "imbi-boot-"));
    const [api, pgPort] = [await holdPort(), await holdPort()];
    const ports = [api, pgPort].map((s) => (s.address() as { port: number }).port) as [number, number];
    await Promise.all([api, pgPort].map((s) => new Promise((r) => s.close(r))));
    const env = { IMBI_DATA_DIR: fresh, IMBI_LOG_LEVEL: "info", IMBI_EMBEDDED_PG_PORT: String(ports[1]) };
    let stdout = "";
    let stderr = "";
    const child = spawn(process.execPath, [BIN, "serve"], {
      cwd: ROOT,
      env: cliEnv({ ...env, IMBI_API_HOST: "127.0.0.1", IMBI_API_PORT: String(ports[0]) }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr?.on("data", (d) => (stderr += d));
    try {
      const deadline = Date.now() + 90_000;
      while (
        !stderr.includes("This password is shown once") &&
        child.exitCode === null &&
        Date.now() < deadline
      )
        await new Promise((r) => setTimeout(r, 200));
      expect(stderr).toContain("This password is shown once");

      // Progress for a person, in order, on stderr; the banner there too.
      const steps = [
        "creating the embedded database",
        "migrating",
        "seeding",
        `ready at http://127.0.0.1:${ports[0]}`,
      ];
      const at = steps.map((s) => stderr.indexOf(s));
      expect(
        at.every((i) => i >= 0),
        stderr,
      ).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      // The compiled build serves (its chunks, the PGlite thread and the static assets load).
      expect((await fetch(`http://127.0.0.1:${ports[0]}/status`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${ports[0]}/docs`)).status).toBe(200);
      const password = /password: (\S+)/.exec(stderr)?.[1] as string;
      expect(stdout).not.toContain(password);
      const log = expectJsonLog(stdout);
      expect(log.find((l) => l.msg === "embedded postgres ready")).toMatchObject({
        tcp: `127.0.0.1:${ports[1]}`,
      });

      // The TCP password is shown only by `imbi db-url`; it is in no log line.
      const url = (await imbi(["db-url"], env)).stdout.trim();
      const secret = decodeURIComponent(new URL(url).password);
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(stdout + stderr).not.toContain(secret);
      const sql = postgres(url, { max: 1, fetch_types: false });
      try {
        expect((await sql`SELECT count(*)::int AS n FROM ag_catalog.ag_graph`)[0]?.n).toBe(1);
      } finally {
        await sql.end();
      }
      const wrong = postgres(url.replace(encodeURIComponent(secret), "postgres"), {
        max: 1,
        fetch_types: false,
      });
      await expect(wrong`SELECT 1`).rejects.toMatchObject({ code: "28P01" });
      await wrong.end();
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
