import { Worker } from "node:worker_threads";
import type { EmbeddedPostgres } from "./pglite.ts";

/**
 * Starts the embedded Postgres in a worker thread (see pglite_thread.ts) and resolves once its
 * socket is listening. `stop()` closes it cleanly, flushing the data directory.
 */
export function startThreadedPostgres(opts: { dataDir?: string; port?: number }): Promise<EmbeddedPostgres> {
  const entry = new URL("./pglite_thread.ts", import.meta.url);
  // The sources are TypeScript run through tsx; a worker thread does not inherit its loader on
  // Node 20, so the thread registers it before importing the entry.
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { dataDir: opts.dataDir, port: opts.port } });
  return new Promise((resolve, reject) => {
    let ready = false;
    // Before ready an error fails the start; after, it is logged (the socket clients then see
    // connection errors and the readiness check reports postgres down) instead of crashing.
    worker.on("error", (e) => {
      if (!ready) reject(e);
      else
        console.error(
          JSON.stringify({ level: "error", msg: "embedded postgres thread failed", error: e.message }),
        );
    });
    worker.once("message", (msg: { type: string; url: string; port: number }) => {
      if (msg.type !== "ready") return reject(new Error(`unexpected message ${msg.type}`));
      ready = true;
      resolve({
        url: msg.url,
        port: msg.port,
        stop: () =>
          new Promise<void>((res, rej) => {
            worker.once("message", async (m: { type: string; error?: string }) => {
              await worker.terminate();
              if (m.error) rej(new Error(m.error));
              else res();
            });
            worker.postMessage({ type: "stop" });
          }),
      });
    });
  });
}
