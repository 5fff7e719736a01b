// Runs the embedded PGlite and its socket server in a worker thread, so WebAssembly query work
// does not block the HTTP event loop and both cores are used.
import { parentPort, workerData } from "node:worker_threads";
import { startEmbeddedPostgres } from "./pglite.ts";

const port = parentPort;
if (!port) throw new Error("pglite_thread must run as a worker thread");
const { dataDir, port: pgPort } = workerData as { dataDir?: string; port?: number };

const pg = await startEmbeddedPostgres({ dataDir, port: pgPort });
port.postMessage({ type: "ready", url: pg.url, port: pg.port });
port.on("message", async (msg: { type: string }) => {
  if (msg.type !== "stop") return;
  try {
    await pg.stop();
    port.postMessage({ type: "stopped" });
  } catch (e) {
    port.postMessage({ type: "stopped", error: (e as Error).message });
  }
});
