import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { age } from "@electric-sql/pglite-age";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** A PGlite + AGE + pgvector database served on a loopback Postgres socket. */
export interface EmbeddedPostgres {
  /** postgres:// URL for the socket; clients must use one connection (PGlite has one backend). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Boots PGlite with AGE, pgvector and pg_trgm — in memory when `dataDir` is undefined, else
 * persisted there — and serves it on 127.0.0.1 so the ordinary postgres.js client code is used.
 */
export async function startEmbeddedPostgres(
  opts: { dataDir?: string; port?: number } = {},
): Promise<EmbeddedPostgres> {
  const db = await PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    extensions: { age, vector, pg_trgm },
  });
  // One backend serves every socket connection, so session state set here is what all of them see.
  await db.exec(
    `CREATE EXTENSION IF NOT EXISTS age; LOAD 'age'; SET search_path = ag_catalog, "$user", public;`,
  );
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: opts.port ?? 0, maxConnections: 8 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    async stop() {
      await server.stop();
      // close() checkpoints and flushes the data directory: acknowledged writes are on disk.
      await db.close();
    },
  };
}
