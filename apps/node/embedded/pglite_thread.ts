// Runs the embedded PGlite and its socket server in a worker thread, so WebAssembly query work
// does not block the HTTP event loop and both cores are used.
import { parentPort, workerData } from "node:worker_threads";
import { type EmbeddedPostgresOptions, startEmbeddedPostgres } from "./pglite.ts";

const port = parentPort;
if (!port) throw new Error("pglite_thread must run as a worker thread");

const pg = await startEmbeddedPostgres(workerData as EmbeddedPostgresOptions);
port.postMessage({ type: "ready", url: pg.url, socketDir: pg.socketDir, tcpUrl: pg.tcpUrl, port: pg.port });
port.on("message", async (msg: { type: string }) => {
  if (msg.type !== "stop") return;
  try {
    await pg.stop();
    port.postMessage({ type: "stopped" });
  } catch (e) {
    port.postMessage({ type: "stopped", error: (e as Error).message });
  }
});
