// A password gate in front of the embedded PGlite socket. PGlite runs Postgres in single-user mode
// and answers every startup with AuthenticationOk, whatever the password: anything that reaches its
// socket is the superuser. So PGlite itself listens only on a Unix socket in a private directory,
// and the optional loopback TCP port (IMBI_EMBEDDED_PG_PORT) is this gate: it runs the SCRAM-SHA-256
// exchange a real Postgres would (RFC 5802 / RFC 7677, as in PostgreSQL's auth-scram.c), and only
// then connects the client to PGlite's socket, replaying the client's startup message there.
//
// pg-gateway implements the same protocol, but SCRAM exists only in its pre-1.0 beta and it is
// built to answer queries itself; proxying to a backend that wants its own startup handshake
// fights its design. The exchange is small enough to keep here, with its tests beside it.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Larger startup packets are refused, as Postgres does (MAX_STARTUP_PACKET_LENGTH). */
const MAX_STARTUP = 10_000;
/** A client that has not authenticated by then is dropped (Postgres' authentication_timeout is 60 s). */
const AUTH_TIMEOUT_MS = 10_000;
const MECHANISM = "SCRAM-SHA-256";

/** The server side of a SCRAM-SHA-256 verifier, derived once from the password. */
export interface ScramVerifier {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();

/** Derives the SCRAM verifier a Postgres server would store for `password` (fresh random salt). */
export function scramVerifier(password: string, iterations = 4096): ScramVerifier {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = hmac(salted, "Client Key");
  return {
    salt,
    iterations,
    storedKey: createHash("sha256").update(clientKey).digest(),
    serverKey: hmac(salted, "Server Key"),
  };
}

/** A backend message: type byte, int32 length (itself included), body. */
function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function authMessage(code: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const c = Buffer.alloc(4);
  c.writeInt32BE(code);
  return message("R", Buffer.concat([c, payload]));
}

/** A FATAL ErrorResponse, so psql and drivers print a normal Postgres error. */
export function fatal(sqlState: string, text: string): Buffer {
  const field = (k: string, v: string) => Buffer.from(`${k}${v}\0`, "utf8");
  return message(
    "E",
    Buffer.concat([
      field("S", "FATAL"),
      field("V", "FATAL"),
      field("C", sqlState),
      field("M", text),
      Buffer.from([0]),
    ]),
  );
}

/** Startup parameters: key\0value\0 … \0 after the protocol version. */
function startupParams(packet: Buffer): Record<string, string> {
  const parts = packet.subarray(8).toString("utf8").split("\0");
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) out[parts[i] as string] = parts[i + 1] ?? "";
  return out;
}

/** `a=1,b=2` → { a: "1", b: "2" } (SCRAM attribute lists; values may contain '='). */
function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    if (eq === 1) out[part[0] as string] = part.slice(2);
  }
  return out;
}

/** Options for {@link startPgGate}. */
export interface PgGateOptions {
  /** Loopback port; 0 picks a free one. */
  port: number;
  host?: string;
  /** The password clients must prove they know. */
  password: string;
  /** PGlite's Unix socket file, where authenticated clients are connected. */
  upstreamPath: string;
}

/** A running gate. */
export interface PgGate {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on loopback TCP and admits a client only after a SCRAM-SHA-256 proof of the password;
 * then it pipes the connection to PGlite's Unix socket. SSL and GSS encryption requests are
 * declined (loopback only), cancel requests are dropped (PGlite cannot cancel).
 */
export async function startPgGate(opts: PgGateOptions): Promise<PgGate> {
  const verifier = scramVerifier(opts.password);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    handle(socket, verifier, opts.upstreamPath);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : opts.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

type Phase = "startup" | "sasl-initial" | "sasl-final" | "proxied";

function handle(client: Socket, verifier: ScramVerifier, upstreamPath: string): void {
  let buffer = Buffer.alloc(0);
  let phase: Phase = "startup";
  let startup = Buffer.alloc(0);
  let user = "";
  let gs2Header = "";
  let clientFirstBare = "";
  let serverFirst = "";
  let nonce = "";

  client.setNoDelay(true);
  client.setTimeout(AUTH_TIMEOUT_MS, () => client.destroy());
  client.on("error", () => client.destroy());
  const refuse = (sqlState: string, text: string) => {
    phase = "proxied"; // stop parsing; the socket is closing
    client.end(fatal(sqlState, text));
  };

  const onData = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (phase !== "proxied") {
      if (phase === "startup") {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        const code = buffer.readInt32BE(4);
        if (length < 8 || length > MAX_STARTUP) return refuse("08P01", "invalid startup packet length");
        if (buffer.length < length) return;
        const packet = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          client.write("N");
          continue;
        }
        if (code === CANCEL_REQUEST) {
          client.destroy();
          return;
        }
        if (code !== PROTOCOL_3) return refuse("0A000", "unsupported frontend protocol");
        startup = Buffer.from(packet);
        user = startupParams(packet).user ?? "";
        const mechanisms = Buffer.from(`${MECHANISM}\0\0`, "utf8");
        client.write(authMessage(10, mechanisms)); // AuthenticationSASL
        phase = "sasl-initial";
        continue;
      }
      // SASLInitialResponse and SASLResponse are 'p' messages.
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1);
      if (buffer[0] !== 0x70 || length < 4 || length > MAX_STARTUP)
        return refuse("08P01", "expected a SASL response message");
      if (buffer.length < length + 1) return;
      const body = buffer.subarray(5, length + 1);
      buffer = buffer.subarray(length + 1);
      if (phase === "sasl-initial") {
        const end = body.indexOf(0);
        if (end < 0 || body.subarray(0, end).toString() !== MECHANISM)
          return refuse("28000", `password authentication requires ${MECHANISM}`);
        const first = body.subarray(end + 5).toString("utf8");
        // GS2 header: "n,," (no channel binding) or "y,," (client could bind, server cannot: no TLS).
        const match = /^([ny]),(?:a=[^,]*)?,(.*)$/.exec(first);
        const clientNonce = match ? attributes(match[2] as string).r : undefined;
        if (!match || !clientNonce) return refuse("08P01", "malformed SCRAM client-first message");
        gs2Header = first.slice(0, first.length - (match[2] as string).length);
        clientFirstBare = match[2] as string;
        nonce = clientNonce + randomBytes(18).toString("base64");
        serverFirst = `r=${nonce},s=${verifier.salt.toString("base64")},i=${verifier.iterations}`;
        client.write(authMessage(11, Buffer.from(serverFirst, "utf8"))); // AuthenticationSASLContinue
        phase = "sasl-final";
        continue;
      }
      const final = body.toString("utf8");
      const proofAt = final.lastIndexOf(",p=");
      const attrs = attributes(final);
      const proof = Buffer.from(attrs.p ?? "", "base64");
      const withoutProof = proofAt < 0 ? "" : final.slice(0, proofAt);
      const binding = Buffer.from(attrs.c ?? "", "base64").toString("utf8");
      if (proofAt < 0 || attrs.r !== nonce || binding !== gs2Header || proof.length !== 32)
        return refuse("28P01", `password authentication failed for user "${user}"`);
      const auth = `${clientFirstBare},${serverFirst},${withoutProof}`;
      const signature = hmac(verifier.storedKey, auth);
      const clientKey = Buffer.alloc(32);
      for (let i = 0; i < 32; i++) clientKey[i] = (proof[i] as number) ^ (signature[i] as number);
      const candidate = createHash("sha256").update(clientKey).digest();
      if (!timingSafeEqual(candidate, verifier.storedKey))
        return refuse("28P01", `password authentication failed for user "${user}"`);
      const serverSignature = hmac(verifier.serverKey, auth).toString("base64");
      client.write(authMessage(12, Buffer.from(`v=${serverSignature}`, "utf8"))); // AuthenticationSASLFinal
      phase = "proxied";
      client.off("data", onData);
      client.setTimeout(0);
      proxy(client, upstreamPath, Buffer.concat([startup, buffer]));
      return;
    }
  };
  client.on("data", onData);
}

/** Connects an authenticated client to PGlite: its startup goes first, then bytes flow both ways. */
function proxy(client: Socket, upstreamPath: string, first: Buffer): void {
  client.pause();
  const upstream = connect(upstreamPath);
  upstream.setNoDelay(true);
  upstream.once("connect", () => {
    upstream.write(first);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  });
  upstream.once("error", (e) => {
    if (client.writable) client.end(fatal("57P03", `the embedded database is not reachable: ${e.message}`));
    else client.destroy();
  });
  client.once("close", () => upstream.destroy());
  upstream.once("close", () => client.destroy());
}
