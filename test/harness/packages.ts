// The Debian packages the test suite runs (clickhouse-server, redis-server): which are missing,
// what to tell a person, and installing them with apt-get when allowed — waiting, within a bound,
// for another apt/dpkg process (unattended-upgrades, a second terminal) to release its lock
// instead of failing at once.
import { execFile } from "node:child_process";
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** A Debian package the tests need, and the executables that show it is installed. */
export interface Requirement {
  pkg: string;
  /** Absolute paths, or bare names looked up on PATH (then /usr/bin, /usr/sbin). */
  binaries: string[];
}

/** What `npm test` needs from Debian (test/global_setup.ts). */
export const TEST_PACKAGES: Requirement[] = [
  // Debian's package puts the server in /usr/sbin; upstream packages use /usr/bin.
  {
    pkg: "clickhouse-server",
    binaries: ["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server", "/usr/bin/clickhouse"],
  },
  { pkg: "redis-server", binaries: ["redis-server"] },
];

/** The locks apt-get and dpkg take; another process holding one makes apt-get fail at once. */
export const APT_LOCKS = ["/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/lib/apt/lists/lock"];

/** How long to wait for another process's apt/dpkg lock before giving up. */
export const APT_LOCK_TIMEOUT_S = 300;

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first executable of `req` that exists, or undefined. */
export function findBinary(
  req: Requirement,
  exists: (path: string) => boolean = isExecutable,
  pathEnv = process.env.PATH ?? "",
): string | undefined {
  const dirs = [...pathEnv.split(delimiter).filter(Boolean), "/usr/bin", "/usr/sbin"];
  for (const bin of req.binaries) {
    const candidates = bin.startsWith("/") ? [bin] : dirs.map((d) => join(d, bin));
    const found = candidates.find((c) => exists(c));
    if (found) return found;
  }
  return undefined;
}

/** The packages of `reqs` with none of their executables present, in order. */
export function missingPackages(
  reqs: Requirement[],
  exists: (path: string) => boolean = isExecutable,
  pathEnv = process.env.PATH ?? "",
): string[] {
  return reqs.filter((r) => !findBinary(r, exists, pathEnv)).map((r) => r.pkg);
}

/** Whether the harness may run apt-get itself: as root, in CI or when asked to. */
export function mayInstall(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.()): boolean {
  return uid === 0 && (!!env.CI || env.IMBI_TEST_INSTALL === "1");
}

/** The message for missing packages: what is missing first, then the command that installs it. */
export function missingMessage(missing: string[], canInstall: boolean): string {
  const list = missing.join(" ");
  return [
    `The tests need Debian packages that are not installed: ${missing.join(", ")}.`,
    `Install them with:  sudo apt-get install -y --no-install-recommends ${list}`,
    canInstall
      ? "(installing them automatically failed; see the apt-get output above)"
      : "or run the tests as root with IMBI_TEST_INSTALL=1 (or CI=true) to let them install what is missing.",
  ].join("\n");
}

/** apt-get's arguments to install `pkgs`, waiting up to `lockTimeoutS` for the dpkg lock itself too. */
export function aptInstallArgs(pkgs: string[], lockTimeoutS: number): string[] {
  return ["-o", `DPkg::Lock::Timeout=${lockTimeoutS}`, "install", "-y", "--no-install-recommends", ...pkgs];
}

/** A process holding one of the lock files. */
export interface LockHolder {
  path: string;
  pid: number;
  /** Its command name, from /proc/<pid>/comm. */
  command: string;
}

/**
 * Who holds the given lock files, from /proc/locks (POSIX locks as apt and dpkg take them, and
 * flock(2) locks). Matched by inode number: /proc/locks names files by device and inode, and the
 * device numbers of overlay filesystems (containers) differ from what stat reports.
 */
export function lockHolders(paths: string[], procLocks?: string): LockHolder[] {
  let text = procLocks;
  if (text === undefined) {
    try {
      text = readFileSync("/proc/locks", "utf8");
    } catch {
      return []; // not Linux: apt-get's own lock timeout still applies
    }
  }
  const inodes = new Map<number, string>();
  for (const p of paths) {
    try {
      inodes.set(statSync(p).ino, p);
    } catch {
      // no such lock file: nobody holds it
    }
  }
  const holders: LockHolder[] = [];
  for (const line of text.split("\n")) {
    // "1: POSIX  ADVISORY  WRITE 10948 fe:00:402117 0 EOF"; "1: -> POSIX …" lines are waiters.
    const m = /^\d+:\s+(?!->)(\S+)\s+\S+\s+\S+\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
    if (!m) continue;
    const path = inodes.get(Number(m[3]));
    if (!path) continue;
    const pid = Number(m[2]);
    let command = "unknown";
    try {
      command = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    } catch {
      // exited meanwhile
    }
    holders.push({ path, pid, command });
  }
  return holders;
}

/** Options for {@link waitForLocks}. */
export interface WaitForLocksOptions {
  paths?: string[];
  timeoutMs?: number;
  pollMs?: number;
  /** Called once, when the first check finds the locks held. */
  onWait?: (message: string) => void;
}

const describeHolders = (holders: LockHolder[]) =>
  holders.map((h) => `process ${h.pid} (${h.command}) holds ${h.path}`).join("; ");

/**
 * Resolves once no process holds any of the lock files; says once that it is waiting and for
 * whom; rejects after `timeoutMs` with the holders named.
 */
export async function waitForLocks(opts: WaitForLocksOptions = {}): Promise<void> {
  const paths = opts.paths ?? APT_LOCKS;
  const timeoutMs = opts.timeoutMs ?? APT_LOCK_TIMEOUT_S * 1000;
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    const holders = lockHolders(paths);
    if (holders.length === 0) return;
    if (!told) {
      opts.onWait?.(
        `waiting up to ${Math.round(timeoutMs / 1000)} s for another package manager to finish: ${describeHolders(holders)}`,
      );
      told = true;
    }
    if (Date.now() >= deadline)
      throw new Error(
        `gave up after ${Math.round(timeoutMs / 1000)} s waiting for the package manager lock: ${describeHolders(holders)}`,
      );
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
  }
}

function aptGet(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile("apt-get", args, { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    child.stdout?.pipe(process.stderr);
    child.stderr?.pipe(process.stderr);
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`apt-get ${args.join(" ")} exited with ${code}`)),
    );
  });
}

/**
 * Makes sure every package of `reqs` is installed. Missing ones are installed in one apt-get run
 * when {@link mayInstall} allows (after waiting for other package managers, bounded); otherwise,
 * or when installing fails, this throws with {@link missingMessage}. `say` gets progress lines.
 */
export async function ensurePackages(
  reqs: Requirement[],
  say: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<void> {
  const missing = missingPackages(reqs);
  if (missing.length === 0) return;
  const canInstall = mayInstall();
  if (!canInstall) throw new Error(missingMessage(missing, false));
  say(`Installing missing Debian packages for the tests: ${missing.join(", ")} (apt-get)…`);
  try {
    await waitForLocks({ onWait: say });
    try {
      await aptGet(aptInstallArgs(missing, APT_LOCK_TIMEOUT_S));
    } catch {
      // A fresh image has no package lists yet; update once and retry.
      await aptGet(["-o", `DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT_S}`, "update"]);
      await aptGet(aptInstallArgs(missing, APT_LOCK_TIMEOUT_S));
    }
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${missingMessage(missing, true)}`);
  }
  const still = missingPackages(reqs);
  if (still.length) throw new Error(`apt-get finished but these are still missing: ${still.join(", ")}`);
}
