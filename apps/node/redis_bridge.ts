import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ClientClosedError,
  ClientOfflineError,
  createClient,
  ErrorReply,
  MultiErrorReply,
  RESP_TYPES,
} from "redis";
import type { Logger } from "../../lib/log.ts";

/** Options for {@link startRedisBridge}. */
export interface RedisBridgeOptions {
  /** `redis://…` or `rediss://…` of the Redis/Valkey to forward to. */
  redisUrl: string;
  /** The bearer token clients must send; treat it like the Redis password. */
  token: string;
  /** Interface to bind; loopback by default so the bridge is never exposed by accident. */
  host?: string;
  /** Port to listen on; 0 picks a free one (see the returned `url`). */
  port?: number;
  /** Largest accepted request body; larger ones get a 413. Defaults to 1 MiB, Upstash's own cap. */
  maxBodyBytes?: number;
  /**
   * Allow EVAL/EVALSHA/FCALL and SCRIPT LOAD/EXISTS. Off by default: a script can `redis.call`
   * every command the block-list refuses, so allowing scripts turns the list into a formality.
   */
  allowScripts?: boolean;
  /** How long to keep trying the first connection before failing; defaults to 10 s. */
  connectTimeoutMs?: number;
  /** Where connection problems are reported; silent when omitted. */
  logger?: Logger;
}

/** A running bridge. */
export interface RedisBridge {
  /** Base URL to give `@upstash/redis` (`new Redis({ url, token })`). */
  url: string;
  token: string;
  /** Stops accepting requests, then closes the Redis connections. */
  close(): Promise<void>;
}

type Json = null | number | string | Json[];
type Reply = { result: Json } | { error: string };

// Commands that would hurt every tenant of the server, change the state of the shared connection
// (SELECT, MULTI, AUTH…), or never return a single reply (SUBSCRIBE, MONITOR). Transactions go
// through /multi-exec instead of MULTI/EXEC on the shared socket.
// biome-ignore format: a dense word list reads better than one command per line
const BLOCKED = new Set([
  "ACL", "AUTH", "BGREWRITEAOF", "BGSAVE", "CLIENT", "CLUSTER", "CONFIG", "DEBUG", "DISCARD", "EXEC",
  "FAILOVER", "FLUSHALL", "FLUSHDB", "FUNCTION", "HELLO", "MIGRATE", "MODULE", "MONITOR", "MULTI",
  "PSUBSCRIBE", "PSYNC", "PUNSUBSCRIBE", "QUIT", "READONLY", "READWRITE", "REPLCONF", "REPLICAOF",
  "RESET", "SAVE", "SELECT", "SHUTDOWN", "SLAVEOF", "SSUBSCRIBE", "SUBSCRIBE", "SUNSUBSCRIBE",
  "SWAPDB", "SYNC", "UNSUBSCRIBE", "UNWATCH", "WATCH",
]);
const SCRIPTING = new Set(["EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO", "SCRIPT"]);
// These park the connection until data arrives, which would stall every other request that
// shares the socket, so each one runs on a connection of its own.
// biome-ignore format: as above
const BLOCKING = new Set([
  "BLMOVE", "BLMPOP", "BLPOP", "BRPOP", "BRPOPLPUSH", "BZMPOP", "BZPOPMAX", "BZPOPMIN", "WAIT", "WAITAOF",
]);
const MAX_DEDICATED_CONNECTIONS = 16;
const BYTES = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };

/** A request the bridge refuses; `status` is the HTTP answer. */
class BridgeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts an HTTP server that speaks the Upstash REST protocol (`POST /`, `/pipeline`,
 * `/multi-exec`, `Upstash-Encoding: base64`) and forwards to a real Redis/Valkey, so the same
 * `@upstash/redis` code serves Workers (Upstash) and self-hosted Node (Valkey).
 */
export async function startRedisBridge(opts: RedisBridgeOptions): Promise<RedisBridge> {
  if (!opts.token) throw new Error("redis bridge: a non-empty token is required");
  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
  const expectedDigest = sha256(`Bearer ${opts.token}`);

  // Retry the first connection for a while (compose may start Valkey after us), then fail boot with
  // a clear message; once connected, reconnect forever. Without the offline queue, requests made
  // while Redis is away fail at once with a 503 instead of piling up.
  const bootDeadline = Date.now() + (opts.connectTimeoutMs ?? 10_000);
  let everReady = false;
  const base = createClient({
    url: opts.redisUrl,
    disableOfflineQueue: true,
    socket: {
      reconnectStrategy: (retries: number, cause: Error) =>
        everReady || Date.now() < bootDeadline ? Math.min(50 * 2 ** retries, 2_000) : cause,
    },
  });
  base.once("ready", () => {
    everReady = true;
  });
  // Without a listener node-redis errors crash the process; it reconnects on its own.
  base.on("error", (err: Error) => opts.logger?.warn("redis bridge: connection error", { err: err.message }));
  try {
    await base.connect();
  } catch (err) {
    throw new Error(`redis bridge: cannot connect to ${redactUrl(opts.redisUrl)}: ${String(err)}`);
  }
  // Bulk strings come back as Buffers so binary values survive base64 encoding byte for byte.
  // sendCommand ignores the client's type mapping, so it is also passed per call (BYTES).
  const redis = base.withTypeMapping(BYTES.typeMapping);

  let dedicated = 0;
  /** Runs `fn` on a fresh connection that is dropped afterwards (or when the caller hangs up). */
  const onDedicated = async <T>(res: ServerResponse, fn: (c: typeof redis) => Promise<T>): Promise<T> => {
    // The dedicated connection would wait for Redis forever; answer now like the shared one does.
    if (!base.isReady) throw new ClientOfflineError();
    if (dedicated >= MAX_DEDICATED_CONNECTIONS) {
      throw new BridgeError(503, "ERR too many concurrent blocking commands");
    }
    dedicated++;
    const conn = redis.duplicate();
    conn.on("error", () => undefined);
    const hangUp = () => conn.destroy();
    res.once("close", hangUp);
    try {
      await conn.connect();
      return await fn(conn);
    } finally {
      res.off("close", hangUp);
      dedicated--;
      if (conn.isOpen) conn.destroy();
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://bridge").pathname.replace(/\/+$/, "") || "/";
    if (req.method !== "POST") throw new BridgeError(405, "ERR only POST is supported");
    if (path !== "/" && path !== "/pipeline" && path !== "/multi-exec") {
      throw new BridgeError(404, `ERR unknown endpoint ${path}`);
    }
    // Authenticate before reading the body, so strangers cannot make us buffer anything.
    if (!timingSafeEqual(sha256(req.headers.authorization ?? ""), expectedDigest)) {
      throw new BridgeError(401, "Unauthorized");
    }
    const body = parseJson(await readBody(req, maxBodyBytes));
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";

    if (path === "/") {
      const args = toCommand(body, opts.allowScripts === true);
      const run = (c: typeof redis) => c.sendCommand(args, BYTES);
      const reply = isBlocking(args) ? await onDedicated(res, run) : await run(redis);
      return send(res, 200, { result: encodeReply(reply, base64) });
    }

    if (!Array.isArray(body) || body.length === 0) {
      throw new BridgeError(400, "ERR expected a non-empty array of commands");
    }
    // Validate everything first: a refused command must not leave half a pipeline applied.
    const commands = body.map((c) => toCommand(c, opts.allowScripts === true));

    if (path === "/multi-exec") {
      // node-redis decodes the EXEC reply without our type mapping, so inside transactions bulk
      // strings arrive as UTF-8 text: exact for everything written through REST (JSON strings
      // are UTF-8), lossy only for non-UTF-8 bytes written by other clients.
      const multi = redis.multi();
      for (const args of commands) multi.addCommand(args);
      let replies: unknown[];
      try {
        replies = await multi.exec();
      } catch (err) {
        // Runtime errors (INCR on a string) fail one slot, as in Redis; EXECABORT fails all.
        if (!(err instanceof MultiErrorReply)) throw err;
        replies = err.replies;
      }
      return send(
        res,
        200,
        replies.map((r) => toReply(r, base64)),
      );
    }

    const runAll = (c: typeof redis) =>
      Promise.allSettled(commands.map((args) => c.sendCommand(args, BYTES)));
    const settled = commands.some(isBlocking) ? await onDedicated(res, runAll) : await runAll(redis);
    return send(
      res,
      200,
      settled.map((s) => (s.status === "fulfilled" ? toReply(s.value, base64) : toReply(s.reason, base64))),
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof BridgeError) return send(res, err.status, { error: err.message });
      if (err instanceof ErrorReply) return send(res, 400, { error: err.message });
      if (err instanceof ClientOfflineError || err instanceof ClientClosedError) {
        return send(res, 503, { error: "ERR redis is unavailable" });
      }
      opts.logger?.error("redis bridge: request failed", { err: String(err) });
      send(res, 500, { error: "ERR internal bridge error" });
    });
  });

  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    token: opts.token,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of idle clients would otherwise hold close() open.
        server.closeIdleConnections();
      });
      if (base.isOpen) await base.close();
    },
  };
}

/** The URL without its password, for error messages that end up in logs. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<invalid redis URL>";
  }
}

// Hashing both sides gives equal-length inputs, which timingSafeEqual requires, without leaking
// the token's length through an early length check.
function sha256(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const json = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(json),
  };
  // After a 413 the rest of the body is still on the wire; the socket cannot be reused.
  if (status === 413) headers.Connection = "close";
  res.writeHead(status, headers);
  res.end(json);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  // Answer at once and let the connection close (see send) instead of draining the upload: reading
  // the rest would spend the very resources the limit exists to protect.
  const tooLarge = () => new BridgeError(413, `ERR request body exceeds ${limit} bytes`);
  if (Number(req.headers["content-length"] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BridgeError(400, "ERR request body is not valid JSON");
  }
}

/** Checks one command array and turns its arguments into the strings Redis receives. */
function toCommand(value: unknown, allowScripts: boolean): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BridgeError(400, "ERR a command is a non-empty JSON array");
  }
  const args = value.map((v) => {
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw new BridgeError(400, "ERR command arguments must be strings, numbers or booleans");
  });
  const name = args[0]!.toUpperCase();
  const sub = args[1]?.toUpperCase();
  const scriptOk = allowScripts && (name !== "SCRIPT" || sub === "LOAD" || sub === "EXISTS");
  if (BLOCKED.has(name) || (SCRIPTING.has(name) && !scriptOk)) {
    throw new BridgeError(400, `ERR command '${name}' is not allowed through the bridge`);
  }
  return args;
}

function isBlocking(args: string[]): boolean {
  const name = args[0]!.toUpperCase();
  if (BLOCKING.has(name)) return true;
  return (name === "XREAD" || name === "XREADGROUP") && args.some((a) => a.toUpperCase() === "BLOCK");
}

function toReply(value: unknown, base64: boolean): Reply {
  return value instanceof Error ? { error: value.message } : { result: encodeReply(value, base64) };
}

/**
 * Encodes a RESP2 reply the way Upstash does: with `Upstash-Encoding: base64` every string is
 * base64 except the status "OK", which the client passes through untouched.
 */
function encodeReply(value: unknown, base64: boolean): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (Buffer.isBuffer(value)) return base64 ? value.toString("base64") : value.toString("utf8");
  if (typeof value === "string") {
    return base64 && value !== "OK" ? Buffer.from(value, "utf8").toString("base64") : value;
  }
  if (Array.isArray(value)) return value.map((v) => encodeReply(v, base64));
  // Errors nested in replies (e.g. from EXEC inside a script) become their message text.
  if (value instanceof Error) return encodeReply(value.message, base64);
  return encodeReply(String(value), base64);
}
