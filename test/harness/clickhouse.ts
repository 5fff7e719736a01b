import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensurePackages, findBinary, type Requirement, TEST_PACKAGES } from "./packages.ts";

/** A running test `clickhouse-server` child process. */
export interface ClickHouseHandle {
  /** `http://127.0.0.1:<port>/imbi_test` — the path is the database. */
  url: string;
  /** `http://127.0.0.1:<port>` without a database, for tests that create their own. */
  baseUrl: string;
  /** Stops the server (SIGTERM, SIGKILL after 10 s) and removes its data directory. */
  stop(): Promise<void>;
  /** Kills the server but keeps ports and data, to simulate an outage. */
  pause(): Promise<void>;
  /** Restarts a paused server on the same ports and data directory and waits until it answers. */
  resume(): Promise<void>;
}

/** Options for {@link startClickHouse}. */
export interface StartClickHouseOptions {
  /**
   * Server time zone. Deliberately not UTC by default (UTC+5:45, no DST) so that any code that
   * lets ClickHouse interpret a DateTime in the server's zone shows up as a test failure.
   */
  timezone?: string;
  /** Database created at start and used as the path of `url`. */
  database?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

/** The server binary; installs Debian's package first when it is missing and allowed. */
async function findServerBinary(): Promise<string> {
  const req = TEST_PACKAGES.find((r) => r.pkg === "clickhouse-server") as Requirement;
  await ensurePackages([req]);
  const bin = findBinary(req);
  if (!bin) throw new Error("clickhouse-server is installed but its binary was not found");
  return bin;
}

interface Ports {
  http: number;
  tcp: number;
  interserver: number;
}

// Caches are kept small (the defaults are 8 GiB / 5 GiB) so the server fits next to the test
// workers on a 2-core box; query_log is off to avoid background writes.
function configXml(dir: string, ports: Ports, timezone: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${dir}/log/clickhouse-server.log</log>
    <errorlog>${dir}/log/clickhouse-server.err.log</errorlog>
    <size>10M</size>
    <count>1</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>64</max_concurrent_queries>
  <uncompressed_cache_size>33554432</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>${timezone}</timezone>
  <mlock_executable>false</mlock_executable>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>1000000000</max_memory_usage>
      <use_uncompressed_cache>0</use_uncompressed_cache>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
    </default>
  </quotas>
</yandex>
`;

// Every server this process started (and its data dir), so an abrupt exit of the parent still
// kills them. Ctrl-C reaches the server directly: it shares the terminal's process group.
const live = new Map<ChildProcess, string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const [child, dir] of live) {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

async function waitForPing(
  base: string,
  child: ChildProcess,
  dir: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const err = await readFile(join(dir, "log", "clickhouse-server.err.log"), "utf8").catch(() => "");
      throw new Error(
        `clickhouse-server exited during start (${child.exitCode ?? child.signalCode}):\n${err}`,
      );
    }
    try {
      const res = await fetch(`${base}/ping`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok && (await res.text()).startsWith("Ok.")) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`clickhouse-server did not answer ${base}/ping within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess | undefined, graceMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  live.delete(child);
}

/**
 * Starts a real `clickhouse-server` (Debian's package) as a child process on free loopback ports
 * with a throw-away data directory, waits for `/ping`, and creates the test database.
 * Installs the package first when it is missing and allowed (root and `CI` or `IMBI_TEST_INSTALL=1`).
 */
export async function startClickHouse(opts: StartClickHouseOptions = {}): Promise<ClickHouseHandle> {
  const bin = await findServerBinary();
  const database = opts.database ?? "imbi_test";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`invalid database name: ${database}`);
  const dir = await mkdtemp(join(tmpdir(), "imbi-clickhouse-"));
  for (const sub of ["data", "tmp", "log", "user_files", "format_schemas"]) {
    await mkdir(join(dir, sub), { recursive: true });
  }
  await writeFile(join(dir, "users.xml"), USERS_XML);
  installExitHook();

  let child: ChildProcess | undefined;
  let baseUrl = "";
  const launch = async (): Promise<void> => {
    const c = spawn(bin, [`--config-file=${join(dir, "config.xml")}`], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
    // Drain stderr so a chatty server never blocks on a full pipe.
    c.stderr?.resume();
    c.on("exit", () => live.delete(c));
    live.set(c, dir);
    child = c;
    await waitForPing(baseUrl, c, dir);
  };

  // A free port can be taken by another process before the server binds it; pick new ones.
  for (let attempt = 1; ; attempt++) {
    const ports: Ports = { http: await freePort(), tcp: await freePort(), interserver: await freePort() };
    await writeFile(join(dir, "config.xml"), configXml(dir, ports, opts.timezone ?? "Asia/Kathmandu"));
    baseUrl = `http://127.0.0.1:${ports.http}`;
    try {
      await launch();
      break;
    } catch (e) {
      await stopChild(child, 1_000);
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }
  const res = await fetch(`${baseUrl}/`, {
    method: "POST",
    body: `CREATE DATABASE IF NOT EXISTS ${database}`,
  });
  if (!res.ok) throw new Error(`creating database ${database} failed: ${await res.text()}`);

  return {
    url: `${baseUrl}/${database}`,
    baseUrl,
    async stop() {
      await stopChild(child, 10_000);
      await rm(dir, { recursive: true, force: true });
    },
    async pause() {
      // SIGKILL, not SIGTERM: an outage is abrupt, and the data parts already on disk survive.
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child?.once("exit", () => r()));
        child.kill("SIGKILL");
        await exited;
      }
    },
    async resume() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      await launch();
    },
  };
}
