/**
 * The host's hooks for work that outlives a response. Workers pass their ExecutionContext;
 * the Node host and tests pass a tracker that is drained on shutdown so nothing is dropped.
 */
export interface Runtime {
  readonly name: "node" | "worker" | "test";
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * A waitUntil for hosts without an ExecutionContext: it remembers pending promises so
 * `drain()` can await them (on SIGTERM, at the end of a test).
 */
export function createTrackingRuntime(name: "node" | "test"): Runtime & { drain(): Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  return {
    name,
    waitUntil(promise) {
      const tracked = promise.catch(() => undefined).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    async drain() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

/** Adapts a Workers ExecutionContext. */
export function workerRuntime(ctx: { waitUntil(p: Promise<unknown>): void }): Runtime {
  return { name: "worker", waitUntil: (p) => ctx.waitUntil(p) };
}
