import { Worker } from "node:worker_threads";
import type { EmbeddedPostgres, EmbeddedPostgresOptions } from "./pglite.ts";

type Ready = Omit<EmbeddedPostgres, "stop"> & { type: string };

/**
 * The worker thread's entry: the compiled `pglite_thread.js` beside the bundle (`npm run build`),
 * or the TypeScript source through tsx when running from a source checkout. A worker thread does
 * not inherit tsx's loader on Node 20, so the thread registers it before importing the entry.
 */
function threadEntry(): string {
  if (!import.meta.url.endsWith(".ts")) {
    const built = new URL("./pglite_thread.js", import.meta.url);
    return `import(${JSON.stringify(built.href)})`;
  }
  const entry = new URL("./pglite_thread.ts", import.meta.url);
  return `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
}

/**
 * Starts the embedded Postgres in a worker thread (see pglite_thread.ts) and resolves once its
 * socket is listening. `stop()` closes it cleanly, flushing the data directory.
 */
export function startThreadedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const worker = new Worker(threadEntry(), { eval: true, workerData: opts });
  return new Promise((resolve, reject) => {
    let ready = false;
    // Before ready an error fails the start; after, it is logged (the socket clients then see
    // connection errors and the readiness check reports postgres down) instead of crashing.
    worker.on("error", (e) => {
      if (!ready) reject(e);
      else
        console.log(
          JSON.stringify({
            time: new Date().toISOString(),
            level: "error",
            msg: "embedded postgres thread failed",
            error: e.message,
          }),
        );
    });
    worker.once("message", (msg: Ready) => {
      if (msg.type !== "ready") return reject(new Error(`unexpected message ${msg.type}`));
      ready = true;
      const { type: _, ...info } = msg;
      resolve({
        ...info,
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
