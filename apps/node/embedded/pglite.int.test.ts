import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSql } from "../../../lib/db.ts";
import { ensurePrivateDir } from "../config.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./pglite.ts";
import { SOCKET_FILE, socketDirFor } from "./socket.ts";

// The embedded database as the Node host starts it (pglite_thread.ts runs this same function),
// reached the ways an operator or another local user could: the Unix socket and the TCP port.
const PASSWORD = "correct-horse-battery-staple";
let dataDir = "";
let pg: EmbeddedPostgres;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "imbi-pg-sec-"));
  pg = await startEmbeddedPostgres({
    socketDir: socketDirFor(dataDir),
    tcp: { port: 0, password: PASSWORD },
  });
});
afterAll(async () => {
  await pg?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** One query over loopback TCP with the given password; resolves to current_user or rejects. */
async function tcpQuery(password: string | undefined, ssl: false | "prefer" = false): Promise<string> {
  const sql = postgres({
    host: "127.0.0.1",
    port: pg.port,
    user: "postgres",
    database: "postgres",
    ...(password === undefined ? {} : { password }),
    ssl,
    max: 1,
    connect_timeout: 5,
    fetch_types: false,
  });
  try {
    const [row] = await sql<{ u: string }[]>`SELECT current_user AS u`;
    return row?.u ?? "";
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe("embedded Postgres access", () => {
  it("refuses a wrong or missing password on the TCP port", async () => {
    await expect(tcpQuery("postgres")).rejects.toMatchObject({ code: "28P01" });
    await expect(tcpQuery("")).rejects.toMatchObject({ code: "28P01" });
    await expect(tcpQuery(undefined)).rejects.toMatchObject({ code: "28P01" });
    await expect(tcpQuery(`${PASSWORD}x`)).rejects.toMatchObject({ code: "28P01" });
  });

  it("admits the right password (SCRAM-SHA-256), also after a declined SSL request", async () => {
    expect(await tcpQuery(PASSWORD)).toBe("postgres");
    expect(await tcpQuery(PASSWORD, "prefer")).toBe("postgres");
    // The URL the host hands out works as it is.
    const sql = createSql(pg.tcpUrl as string, { max: 1 });
    try {
      expect((await sql`SELECT 1 + 1 AS two`)[0]?.two).toBe(2);
    } finally {
      await sql.end();
    }
  });

  it("serves the Unix socket in a directory only its owner can enter", async () => {
    expect(pg.socketDir).toBe(join(dataDir, "run"));
    expect((await stat(pg.socketDir)).mode & 0o777).toBe(0o700);
    const socket = await stat(join(pg.socketDir, SOCKET_FILE));
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    const sql = createSql(pg.url, { max: 1 });
    try {
      expect((await sql`SELECT current_user AS u`)[0]?.u).toBe("postgres");
    } finally {
      await sql.end();
    }
  });

  it("refuses to open a data directory that another process is serving", async () => {
    await expect(startEmbeddedPostgres({ socketDir: pg.socketDir })).rejects.toThrow(/another process/);
  });

  it("keeps the socket path short enough for a Unix socket, and the data directory private", async () => {
    const deep = join(dataDir, "x".repeat(120));
    const dir = socketDirFor(deep);
    expect(Buffer.byteLength(join(dir, SOCKET_FILE))).toBeLessThanOrEqual(103);
    expect(socketDirFor(deep)).toBe(dir);
    expect(socketDirFor(join(dataDir, "y".repeat(120)))).not.toBe(dir);

    const open = join(dataDir, "open");
    await mkdir(open, { mode: 0o755 });
    await ensurePrivateDir(open);
    expect((await stat(open)).mode & 0o777).toBe(0o700);
  });
});
