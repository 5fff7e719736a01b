import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aptInstallArgs,
  lockHolders,
  mayInstall,
  missingMessage,
  missingPackages,
  TEST_PACKAGES,
  waitForLocks,
} from "./packages.ts";

// The decisions `npm test` makes on a fresh machine, checked without uninstalling anything here:
// presence is injected, and the lock is a temp file held by a real `flock` process.
let dir = "";
let lockFile = "";
const holders: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "imbi-pkgs-"));
  lockFile = join(dir, "lock-frontend");
  await writeFile(lockFile, "");
});
afterAll(async () => {
  for (const h of holders) if (h.exitCode === null) h.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

/** A child holding an exclusive lock on `path` until killed; resolves once the lock is taken. */
async function holdLock(path: string): Promise<ChildProcess> {
  const child = spawn("flock", ["--exclusive", "--no-fork", path, "sleep", "60"], { stdio: "ignore" });
  holders.push(child);
  const deadline = Date.now() + 10_000;
  while (lockHolders([path]).length === 0) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("flock did not take the lock");
    await new Promise((r) => setTimeout(r, 20));
  }
  return child;
}

describe("test prerequisites", () => {
  it("finds which packages are missing, from the binaries each one installs", () => {
    const present = new Set(["/usr/sbin/clickhouse-server", "/opt/bin/redis-server"]);
    const exists = (p: string) => present.has(p);
    expect(missingPackages(TEST_PACKAGES, exists, "/opt/bin")).toEqual([]);
    expect(missingPackages(TEST_PACKAGES, exists, "/elsewhere")).toEqual(["redis-server"]);
    expect(missingPackages(TEST_PACKAGES, () => false, "/opt/bin")).toEqual([
      "clickhouse-server",
      "redis-server",
    ]);
  });

  it("says what is missing first, then the exact command that installs it", () => {
    const [first, second, third] = missingMessage(["clickhouse-server", "redis-server"], false).split("\n");
    expect(first).toBe(
      "The tests need Debian packages that are not installed: clickhouse-server, redis-server.",
    );
    expect(second).toBe(
      "Install them with:  sudo apt-get install -y --no-install-recommends clickhouse-server redis-server",
    );
    expect(third).toContain("IMBI_TEST_INSTALL=1");
  });

  it("installs only as root, in CI or when asked to", () => {
    expect(mayInstall({ CI: "true" }, 0)).toBe(true);
    expect(mayInstall({ IMBI_TEST_INSTALL: "1" }, 0)).toBe(true);
    expect(mayInstall({}, 0)).toBe(false);
    expect(mayInstall({ CI: "true", IMBI_TEST_INSTALL: "1" }, 1000)).toBe(false);
  });

  it("lets apt-get itself wait for the dpkg lock too", () => {
    const args = aptInstallArgs(["redis-server"], 300);
    expect(args.slice(0, 2)).toEqual(["-o", "DPkg::Lock::Timeout=300"]);
    expect(args).toContain("redis-server");
  });

  it("waits, saying for whom, until another process releases the lock", async () => {
    const holder = await holdLock(lockFile);
    const said: string[] = [];
    let releasedFirst = false;
    const waiting = waitForLocks({
      paths: [lockFile],
      timeoutMs: 30_000,
      pollMs: 50,
      onWait: (m) => {
        said.push(m);
        // Release only once the waiter has said it is waiting.
        setTimeout(() => {
          releasedFirst = true;
          holder.kill("SIGTERM");
        }, 100);
      },
    });
    await waiting;
    expect(releasedFirst).toBe(true);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`process ${holder.pid}`);
    expect(said[0]).toContain(lockFile);
    expect(lockHolders([lockFile])).toEqual([]);
  });

  it("gives up after its bound, naming the holder", async () => {
    const holder = await holdLock(lockFile);
    try {
      await expect(waitForLocks({ paths: [lockFile], timeoutMs: 200, pollMs: 50 })).rejects.toThrow(
        new RegExp(`gave up .* process ${holder.pid} .*${lockFile}`),
      );
    } finally {
      holder.kill("SIGTERM");
    }
  });
});
