// The real-PostgreSQL target of the suite (DESIGN.md §10): one throwaway PostgreSQL 15 + Apache AGE
// cluster per run, started by the global setup, and a fresh database per test file.
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";

const run = promisify(execFile);

/** Debian's PostgreSQL 15 binaries (the version the vendored AGE source is for). */
const PG_BIN = process.env.IMBI_TEST_PG_BINDIR ?? "/usr/lib/postgresql/15/bin";
const REPO = new URL("../../", import.meta.url).pathname;

/** Which database the integration tests of this worker run on (vitest project `env`). */
export type PostgresTarget = "pglite" | "real";

/** `IMBI_TEST_POSTGRES`: `real` for the PostgreSQL 15 cluster, anything else the embedded PGlite. */
export function postgresTarget(): PostgresTarget {
  return process.env.IMBI_TEST_POSTGRES === "real" ? "real" : "pglite";
}

/** A running test cluster. */
export interface TestCluster {
  /** `postgres://postgres:…@127.0.0.1:<port>/postgres` — the superuser, for creating databases. */
  adminUrl: string;
  /** Stops the server (fast shutdown, SIGKILL after 10 s) and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * initdb's a cluster in a temp directory and starts `postgres` on a free loopback port, with a
 * random superuser password. `initdb` and `postgres` refuse to run as root, so as root they run
 * as the `postgres` user Debian's package creates. Installs PostgreSQL 15 and builds AGE first
 * when they are missing and we may (root, and CI or `IMBI_TEST_INSTALL=1`); otherwise throws saying how.
 */
export async function startPostgresCluster(): Promise<TestCluster> {
  await ensureInstalled();
  const owner = processOwner();
  const dir = mkdtempSync(join(tmpdir(), "imbi-pg-"));
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill("SIGKILL");
  process.once("exit", killOnExit);
  const cleanup = () => {
    process.off("exit", killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const data = join(dir, "data");
    const password = randomBytes(18).toString("base64url");
    const pwfile = join(dir, "pwfile");
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) {
      chownSync(dir, owner.uid, owner.gid);
      chownSync(pwfile, owner.uid, owner.gid);
    }
    const asOwner = { cwd: dir, ...(owner ?? {}) };
    await run(
      join(PG_BIN, "initdb"),
      [
        "-D",
        data,
        "-U",
        "postgres",
        `--pwfile=${pwfile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
        "--no-instructions",
      ],
      asOwner,
    ).catch((e: Error & { stderr?: string }) => {
      throw new Error(`initdb failed: ${e.stderr ?? e.message}`);
    });
    let port = 0;
    // The free port we picked can be taken before postgres binds it; pick again a few times.
    for (let tries = 1; ; tries++) {
      port = await freePort();
      child = spawn(join(PG_BIN, "postgres"), serverArgs(data, dir, port), {
        ...asOwner,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const output = collect(child);
      try {
        await waitReady(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`, child, output);
        break;
      } catch (err) {
        await terminate(child);
        if (tries >= 3) throw err;
      }
    }
    const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    const server = child;
    return {
      adminUrl,
      async stop() {
        await terminate(server);
        cleanup();
      },
    };
  } catch (err) {
    if (child) await terminate(child);
    cleanup();
    throw err;
  }
}

/**
 * Tuned for a throwaway test cluster: durability off (fsync, synchronous commit, full-page
 * writes) because the data dies with the run, enough connections for two workers' pools and the
 * concurrency tests. No `shared_preload_libraries`: AGE reaches every session through the
 * `session_preload_libraries` database setting that `imbi migrate` writes, as in production.
 */
function serverArgs(data: string, socketDir: string, port: number): string[] {
  const settings = {
    listen_addresses: "127.0.0.1",
    port: String(port),
    unix_socket_directories: socketDir,
    max_connections: "300",
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    shared_buffers: "128MB",
    log_min_messages: "fatal",
    log_min_error_statement: "panic",
  };
  return ["-D", data, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
}

/** The URL of another database on the same cluster. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A database of its own on the suite's cluster. */
export interface RealDatabase {
  url: string;
  name: string;
  /** Drops the database, disconnecting anyone still connected. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database on the cluster. (Copying a migrated template instead was measured:
 * 350 ms for the copy plus the re-migration that restores the per-database settings a copy
 * does not carry, against 390 ms for an empty database and a full migration — not worth a template.)
 */
export async function createRealDatabase(adminUrl: string): Promise<RealDatabase> {
  const name = `imbi_${randomBytes(8).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return {
    url: databaseUrl(adminUrl, name),
    name,
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => undefined });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end({ timeout: 5 });
      }
    },
  };
}

/** The uid/gid to run the server as: the `postgres` user when we are root, else ourselves. */
function processOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    return { uid, gid };
  } catch {
    throw new Error(
      "running as root, but there is no 'postgres' user to run initdb/postgres as (PostgreSQL " +
        "refuses root); install Debian's postgresql-15 package, which creates it",
    );
  }
}

async function ensureInstalled(): Promise<void> {
  const pgConfig = join(PG_BIN, "pg_config");
  const installed = () => {
    if (!existsSync(join(PG_BIN, "postgres")) || !existsSync(pgConfig)) return false;
    const lib = execFileSync(pgConfig, ["--pkglibdir"]).toString().trim();
    return existsSync(join(lib, "age.so"));
  };
  if (installed()) return;
  const mayInstall = process.getuid?.() === 0 && (!!process.env.CI || process.env.IMBI_TEST_INSTALL === "1");
  if (!mayInstall)
    throw new Error(
      `PostgreSQL 15 with Apache AGE is not installed (looked in ${PG_BIN}). Run ` +
        "`sudo scripts/install_postgres_age.sh` (Debian packages + AGE built from the vendored " +
        "source), or run the tests as root with IMBI_TEST_INSTALL=1 to let them do it. To run " +
        "only the embedded target: IMBI_TEST_POSTGRES=pglite npm test.",
    );
  await run(join(REPO, "scripts/install_postgres_age.sh"), [], { maxBuffer: 64 * 1024 * 1024 });
  if (!installed()) throw new Error("scripts/install_postgres_age.sh finished but AGE is still missing");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** Keeps the tail of the child's output for error messages. */
function collect(child: ChildProcess): () => string {
  let out = "";
  const add = (b: Buffer) => {
    out = (out + b.toString()).slice(-4000);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return () => out;
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`postgres exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => undefined });
    const ok = await sql`SELECT 1`.then(
      () => true,
      () => false,
    );
    await sql.end({ timeout: 1 });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`postgres did not accept connections within 30 s:\n${output()}`);
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // SIGINT is PostgreSQL's fast shutdown: active sessions are disconnected, no waiting for them.
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
