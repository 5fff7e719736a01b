import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { age } from "@electric-sql/pglite-age";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { type PgGate, startPgGate } from "./pg_gate.ts";
import { claimSocketFile, prepareSocketDir, socketUrl, tcpUrl } from "./socket.ts";

/** A PGlite + AGE + pgvector database served on a private Unix socket (and optionally loopback TCP). */
export interface EmbeddedPostgres {
  /**
   * URL of the Unix socket (`?host=<dir>`, no password: the directory is the owner's alone);
   * clients must use one connection (PGlite has one backend).
   */
  url: string;
  /** The directory holding the socket file `.s.PGSQL.5432`. */
  socketDir: string;
  /** The password-protected loopback URL, when `tcp` was asked for. */
  tcpUrl?: string;
  /** Its port. */
  port?: number;
  stop(): Promise<void>;
}

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Persist here; in memory when undefined. */
  dataDir?: string;
  /**
   * Where the socket file goes; made private (0700) if it is not. Default: a fresh temp directory,
   * removed on stop.
   */
  socketDir?: string;
  /** Also listen on 127.0.0.1:port (0 = a free port) behind a SCRAM-SHA-256 password check. */
  tcp?: { port: number; password: string };
}

/**
 * Boots PGlite with AGE, pgvector and pg_trgm — in memory when `dataDir` is undefined, else
 * persisted there — and serves it on a Unix socket so the ordinary postgres.js client code is used.
 * PGlite accepts any password, so the socket's directory is what keeps other local users out;
 * TCP, when asked for, goes through the password gate (pg_gate.ts).
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const socketDir = opts.socketDir ?? (await mkdtemp(join(tmpdir(), "imbi-pg-")));
  await prepareSocketDir(socketDir);
  const socketPath = await claimSocketFile(socketDir);
  const db = await PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    extensions: { age, vector, pg_trgm },
  });
  // One backend serves every socket connection, so session state set here is what all of them see.
  await db.exec(
    `CREATE EXTENSION IF NOT EXISTS age; LOAD 'age'; SET search_path = ag_catalog, "$user", public;`,
  );
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 8 });
  await server.start();
  // The directory is already private; the file mode is a second lock on the same door.
  await chmod(socketPath, 0o600);
  let gate: PgGate | undefined;
  try {
    if (opts.tcp)
      gate = await startPgGate({
        port: opts.tcp.port,
        password: opts.tcp.password,
        upstreamPath: socketPath,
      });
  } catch (e) {
    await server.stop();
    await db.close();
    const busy = (e as NodeJS.ErrnoException).code === "EADDRINUSE";
    throw busy ? new Error(`port ${opts.tcp?.port} is in use — set IMBI_EMBEDDED_PG_PORT to a free port`) : e;
  }
  return {
    url: socketUrl(socketDir),
    socketDir,
    ...(gate && opts.tcp ? { port: gate.port, tcpUrl: tcpUrl(gate.port, opts.tcp.password) } : {}),
    async stop() {
      await gate?.close();
      await server.stop();
      // close() checkpoints and flushes the data directory: acknowledged writes are on disk.
      await db.close();
      await rm(opts.socketDir ? socketPath : socketDir, { recursive: true, force: true });
    },
  };
}
