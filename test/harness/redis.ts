import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedisBridge } from "../../apps/node/redis_bridge.ts";
import { ensurePackages, findBinary, type Requirement, TEST_PACKAGES } from "./packages.ts";

/** A running redis-server with the Upstash-REST bridge in front of it. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` of the real server. */
  redisUrl: string;
  /** The bridge's base URL, for `@upstash/redis`. */
  upstashUrl: string;
  upstashToken: string;
  /** Closes the bridge, stops redis-server (SIGKILL after 10 s) and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's `redis-server` as a child process on a free loopback port, without
 * persistence, and the bridge in front of it with a random token. Installs the package first when
 * it is missing and we may (root, and CI or `IMBI_TEST_INSTALL=1`); otherwise throws saying how.
 */
export async function startRedis(): Promise<TestRedis> {
  const req = TEST_PACKAGES.find((r) => r.pkg === "redis-server") as Requirement;
  await ensurePackages([req]);
  const binary = findBinary(req);
  if (!binary) throw new Error("redis-server is installed but its binary was not found");
  const dir = mkdtempSync(join(tmpdir(), "imbi-redis-"));
  let child: ChildProcess | undefined;
  // A child left behind by a crashed run would hold its port and memory forever.
  const killOnExit = () => child?.kill("SIGKILL");
  process.once("exit", killOnExit);
  try {
    let port = 0;
    // The free port we picked can be taken before redis binds it; pick again a few times.
    for (let tries = 1; ; tries++) {
      port = await freePort();
      child = spawn(
        binary,
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      const output = collect(child);
      try {
        await waitForPing(port, child, output);
        break;
      } catch (err) {
        child.kill("SIGKILL");
        if (tries >= 3) throw err;
      }
    }
    const redisUrl = `redis://127.0.0.1:${port}`;
    const bridge = await startRedisBridge({ redisUrl, token: randomBytes(24).toString("base64url") });
    const server = child;
    return {
      redisUrl,
      upstashUrl: bridge.url,
      upstashToken: bridge.token,
      async stop() {
        await bridge.close().catch(() => undefined);
        await terminate(server);
        process.off("exit", killOnExit);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child) await terminate(child);
    process.off("exit", killOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
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

async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    if (await pingOnce(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer PING on port ${port} within 15 s:\n${output()}`);
}

/** A raw RESP PING, so readiness does not depend on the client library under test. */
function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    let data = "";
    const done = (okay: boolean) => {
      socket.destroy();
      resolve(okay);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (b) => {
      data += b.toString();
      if (data.includes("\r\n")) done(data.startsWith("+PONG"));
    });
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
