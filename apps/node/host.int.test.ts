import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type EmptyDatabase, startEmptyDatabase } from "../../test/harness/pglite.ts";
import { postgresTarget } from "../../test/harness/postgres.ts";

// The real `imbi serve` process (the compiled build), embedded stores under a temp data dir, killed
// with SIGTERM.
const ROOT = new URL("../../", import.meta.url).pathname;
const ADMIN = { email: "ops@imbi.test", password: "Ops-Passw0rd!!" };
const children: ChildProcess[] = [];
let dataDir = "";
/** On the real target `imbi serve` uses a fresh database of the suite's cluster, not its embedded one. */
let db: EmptyDatabase | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startServe(
  port: number,
): Promise<{ child: ChildProcess; exited: Promise<number | null>; output: () => string }> {
  let out = "";
  const child = spawn(process.execPath, ["bin/imbi.mjs", "serve"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ENVIRONMENT: "development",
      IMBI_DATA_DIR: dataDir,
      IMBI_API_HOST: "127.0.0.1",
      IMBI_API_PORT: String(port),
      IMBI_ADMIN_EMAIL: ADMIN.email,
      IMBI_ADMIN_PASSWORD: ADMIN.password,
      IMBI_ACCESS_LOG: "false",
      POSTGRES_URL: db?.url ?? "",
      CLICKHOUSE_URL: "",
      VALKEY_URL: "",
      UPSTASH_REDIS_REST_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, exited, output: () => out };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`imbi serve did not start:\n${out}`);
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  await db?.stop();
});

describe("Node host", () => {
  it("loses no acknowledged write on SIGTERM mid-burst, and keeps data and tokens across a restart", {
    timeout: 180_000,
  }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), "imbi-host-"));
    if (postgresTarget() === "real") db = await startEmptyDatabase();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = await startServe(port);

    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    const { access_token: token } = (await login.json()) as { access_token: string };

    // A burst of writes from 8 concurrent clients; SIGTERM arrives while they are in flight.
    const acknowledged: string[] = [];
    const failures: string[] = [];
    let stop = false;
    let n = 0;
    const client = async () => {
      while (!stop) {
        const slug = `burst-${n++}`;
        try {
          const r = await fetch(`${base}/api/organizations`, {
            method: "POST",
            headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
            body: JSON.stringify({ slug, name: `Burst ${slug}` }),
          });
          if (r.status === 201) acknowledged.push(slug);
          else failures.push(`${r.status}: ${await r.text()}`);
        } catch {
          return; // connection refused or reset: the server stopped accepting
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    const until = Date.now() + 30_000;
    while (acknowledged.length < 20 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(acknowledged.length, first.output()).toBeGreaterThanOrEqual(20);
    first.child.kill("SIGTERM");
    const code = await first.exited;
    stop = true;
    await Promise.all(clients);
    expect(code, first.output()).toBe(0);
    // Requests racing the shutdown may be refused, never half-done: no 5xx, no unexpected status.
    expect(failures).toEqual([]);
    expect(first.output()).not.toContain("audit write failed");
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    // Same data dir: the token issued before the restart still works, every acknowledged write is there.
    const second = await startServe(port);
    const list = await fetch(`${base}/api/organizations?limit=500`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(list.status).toBe(200);
    const slugs = new Set(((await list.json()) as { data: { slug: string }[] }).data.map((o) => o.slug));
    const lost = acknowledged.filter((s) => !slugs.has(s));
    expect(lost).toEqual([]);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
