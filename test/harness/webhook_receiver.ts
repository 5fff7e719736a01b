import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got. */
export interface Received {
  /** The request's path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status the receiver answered. */
  status: number;
}

/** A loopback HTTP server standing in for a subscriber's endpoint. */
export interface WebhookReceiver {
  url: string;
  port: number;
  received: Received[];
  /** TCP connections accepted (also those that never became a request). */
  connections: number;
  /** Answer the next `n` requests with 500. */
  failNext(n: number): void;
  /** Hold requests whose body matches for `ms` before recording and answering them (a slow handler). */
  slowWhen(match: RegExp | null, ms?: number): void;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 that records every request and answers 204 (or 500 when told). */
export async function startReceiver(): Promise<WebhookReceiver> {
  let failures = 0;
  let slow: { match: RegExp; ms: number } | null = null;
  const state = { received: [] as Received[], connections: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (slow?.match.test(text)) await new Promise((r) => setTimeout(r, slow?.ms));
      const status = failures > 0 ? 500 : 204;
      if (failures > 0) failures--;
      state.received.push({
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        status,
      });
      res.writeHead(status).end(status === 500 ? "receiver down" : undefined);
    });
  });
  server.on("connection", () => state.connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    get received() {
      return state.received;
    },
    get connections() {
      return state.connections;
    },
    failNext(n) {
      failures = n;
    },
    slowWhen(match, ms = 0) {
      slow = match ? { match, ms } : null;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
