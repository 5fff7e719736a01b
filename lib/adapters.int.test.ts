// The adapters the settings choose are the same for every host. The Worker builds its clients per
// request through createServices: it must honour CLICKHOUSE_CONNECT_TIMEOUT as the Node host does
// (it used to be ignored there, leaving every analytics call of a Worker on the 10 s default).
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "./env.ts";
import { workerRuntime } from "./runtime.ts";
import { createServices } from "./services.ts";

let blackhole: Server;
let port = 0;
const sockets = new Set<Socket>();
beforeAll(async () => {
  // Accepts connections and never answers: only the client's own timeout ends a request.
  blackhole = createServer((socket) => {
    sockets.add(socket);
  });
  await new Promise<void>((r) => blackhole.listen(0, "127.0.0.1", r));
  port = (blackhole.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((r) => blackhole.close(r));
});

describe("adapters chosen from the settings", () => {
  it("a Worker's ClickHouse client gives up after CLICKHOUSE_CONNECT_TIMEOUT", {
    timeout: 8_000,
  }, async () => {
    const env = parseEnv({
      ENVIRONMENT: "test",
      IMBI_AUTH_JWT_SECRET: "test-secret-test-secret-test-secret-0123",
      POSTGRES_URL: "postgres://imbi@127.0.0.1:1/imbi",
      CLICKHOUSE_URL: `http://127.0.0.1:${port}/imbi`,
      CLICKHOUSE_CONNECT_TIMEOUT: "1",
    });
    const s = createServices(env, workerRuntime({ waitUntil: () => undefined }));
    expect(s.analyticsPrimary.kind).toBe("clickhouse");
    const res = await s.analyticsPrimary.insert("audit_log", [
      { id: "aud_timeout", occurred_at: new Date().toISOString(), event: "login" },
    ]);
    expect(res.err).toBeDefined();
    await s.sql.end({ timeout: 1 });
  });
});
