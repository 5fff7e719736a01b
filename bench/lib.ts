import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import autocannon from "autocannon";

/** Throughput and latency of one load run. */
export interface LoadResult {
  name: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** The `q` quantile (0–1) of ascending `sorted` values (nearest rank), 0 when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/**
 * Runs autocannon against one URL for `seconds` with `connections` concurrent clients (loopback
 * only). `paths`, when given, are requested in rotation instead of the URL's own path. Latency
 * quantiles come from every response's exact duration (autocannon's histogram rounds to 1 ms).
 */
export async function load(
  name: string,
  url: string,
  opts: {
    connections?: number;
    seconds?: number;
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    paths?: readonly string[];
    timeoutSeconds?: number;
  } = {},
): Promise<LoadResult> {
  const times: number[] = [];
  const paths = opts.paths;
  let next = 0;
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: opts.connections ?? 20,
        duration: opts.seconds ?? 5,
        method: opts.method ?? "GET",
        headers: opts.headers,
        body: opts.body,
        timeout: opts.timeoutSeconds ?? 10,
        ...(paths && paths.length > 0
          ? { requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }] }
          : {}),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on("response", (_client, _status, _bytes, ms) => {
      times.push(ms);
    });
  });
  times.sort((a, b) => a - b);
  const exact = times.length > 0;
  return {
    name,
    // Completed requests over the run's real duration (short, slow runs have few samples per second).
    rps: r.duration > 0 ? r.requests.total / r.duration : r.requests.average,
    p50: exact ? quantile(times, 0.5) : r.latency.p50,
    p95: exact ? quantile(times, 0.95) : r.latency.p97_5,
    p99: exact ? quantile(times, 0.99) : r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Spawns a TypeScript entry under tsx and waits until `ready` answers 200. */
export async function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: string,
): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: new URL("../", import.meta.url).pathname,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (
      await fetch(ready).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    stop: () =>
      new Promise((res) => {
        if (child.exitCode !== null) return res();
        child.once("exit", () => res());
        child.kill("SIGTERM");
      }),
  };
}

/** Formats rows as an aligned text table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  return cells.map((r) => r.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join("  ")).join("\n");
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** The administrator every benchmark signs in as (seeded by `imbi serve` or by the fixture). */
export const ADMIN = { email: "bench@imbi.test", password: "Bench-Passw0rd!" } as const;

/** A running `imbi serve` of a benchmark. */
export interface BenchImbi {
  /** `http://127.0.0.1:<port>`. */
  base: string;
  port: number;
  /** The server process's pid (memory figures). */
  pid: number;
  /** Signs in as {@link ADMIN}; the access token. */
  login(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `imbi serve` with its embedded stores in `dataDir` on a free loopback port, quiet (no
 * access log, warnings only), seeding {@link ADMIN} if needed, without the login rate limit (the
 * benchmarks sign in many times); `env` adds or overrides settings.
 */
export async function startImbi(dataDir: string, env: Record<string, string> = {}): Promise<BenchImbi> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = await startProcess(
    ["apps/node/cli.ts", "serve"],
    {
      ENVIRONMENT: "development",
      IMBI_DATA_DIR: dataDir,
      IMBI_API_HOST: "127.0.0.1",
      IMBI_API_PORT: String(port),
      IMBI_ADMIN_EMAIL: ADMIN.email,
      IMBI_ADMIN_PASSWORD: ADMIN.password,
      IMBI_ACCESS_LOG: "false",
      IMBI_LOG_LEVEL: "warn",
      IMBI_AUTH_RATE_LIMIT_LOGIN: "1000000/minute",
      ...env,
    },
    `${base}/status`,
  );
  return {
    base,
    port,
    pid: proc.child.pid as number,
    async login() {
      const res = await fetch(`${base}/api/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(ADMIN),
      });
      if (!res.ok) throw new Error(`bench: login failed: HTTP ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    stop: () => proc.stop(),
  };
}
