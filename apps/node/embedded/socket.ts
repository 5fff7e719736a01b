// Where the embedded database's Unix socket lives, and how clients name it.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, lstat, mkdir, rm } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Postgres' socket file name for port 5432 (clients derive it from `host=<dir>` and the port). */
export const SOCKET_FILE = ".s.PGSQL.5432";
/** sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included. */
const MAX_SOCKET_PATH = 103;

/**
 * The socket directory for a data directory: `<dataDir>/run`, or — when that path would be too
 * long for a Unix socket — a per-user, per-data-directory directory under the OS temp dir. The
 * name is derived, not random, so `imbi db-url` finds the same one the server uses.
 */
export function socketDirFor(dataDir: string): string {
  const preferred = join(resolve(dataDir), "run");
  if (Buffer.byteLength(join(preferred, SOCKET_FILE)) <= MAX_SOCKET_PATH) return preferred;
  const id = createHash("sha256").update(resolve(dataDir)).digest("hex").slice(0, 16);
  return join(tmpdir(), `imbi-${process.getuid?.() ?? "u"}-${id}`);
}

/**
 * Creates `dir` (mode 0700) or checks an existing one: it must be a real directory owned by this
 * user — under a shared /tmp another user could have created it first to sit in the middle.
 * Then it is made 0700, so only this user can reach the socket inside.
 */
export async function prepareSocketDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (!st.isDirectory()) throw new Error(`${dir} must be a directory (not a link or a file)`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid)
    throw new Error(
      `${dir} belongs to another user (uid ${st.uid}); remove it, or set IMBI_DATA_DIR elsewhere`,
    );
  if ((st.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
}

function answers(path: string): Promise<boolean> {
  return new Promise((res) => {
    const s = createConnection(path);
    s.setTimeout(1_000, () => {
      s.destroy();
      res(false);
    });
    s.once("connect", () => {
      s.destroy();
      res(true);
    });
    s.once("error", () => res(false));
  });
}

/**
 * The socket file's path in `dir`. A file left by a crashed process is removed; one that still
 * answers means another process serves this data directory, and PGlite must never be opened twice.
 */
export async function claimSocketFile(dir: string): Promise<string> {
  const path = join(dir, SOCKET_FILE);
  if (existsSync(path)) {
    if (await answers(path))
      throw new Error(
        `another process is serving this data directory's database (its socket ${path} answers); stop it first`,
      );
    await rm(path, { force: true });
  }
  return path;
}

/** The libpq-style URL of the socket: `host=<dir>` in the query (createSql and psql understand it). */
export function socketUrl(dir: string): string {
  return `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`;
}

/** The loopback URL of the password gate. */
export function tcpUrl(port: number, password: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`;
}
