// The Node host's half of score recomputation: which queue a process uses, and the consumer loop
// (in `imbi serve` by default, or alone in `imbi consume-scores`) with the daily recompute timer.
import { runDailyRecompute, scoreHandler } from "../../functions/score-consumer/index.ts";
import type { ProcessScoreQueue } from "../../lib/adapters.ts";
import type { Env } from "../../lib/env.ts";
import { createTrackingRuntime } from "../../lib/runtime.ts";
import { createServices, type SharedClients } from "../../lib/services.ts";

/** The queue of a Node process: Redis Streams when Redis is configured, else in-process (lib/adapters.ts). */
export type NodeScoreQueue = ProcessScoreQueue;

/** A running consumer. */
export interface ScoreWorker {
  /** Stops pulling, finishes the batch in hand, stops the daily timer. */
  stop(): Promise<void>;
}

/**
 * Starts the score consumer on `queue` with services over the process's shared clients, and a
 * timer that requests the daily recompute (every 15 minutes it tries; a Postgres row makes it once a day
 * across every process after IMBI_SCORE_DAILY_HOUR_UTC). Also tries once at start, so a host that
 * was down at that hour still converges.
 */
export function startScoreWorker(
  env: Env,
  shared: SharedClients & { scoreQueue: NodeScoreQueue },
): ScoreWorker {
  const runtime = createTrackingRuntime("node");
  const services = () => createServices(env, runtime, shared);
  shared.scoreQueue.start(scoreHandler(services));
  const daily = () => {
    const s = services();
    runDailyRecompute(s)
      .catch((e: unknown) =>
        shared.log?.warn("daily score recompute failed", {
          error: e instanceof Error ? e.message : String(e),
        }),
      )
      .finally(() => s.close());
  };
  daily();
  const timer = setInterval(daily, 15 * 60_000).unref();
  shared.log?.info("score consumer started", { queue: shared.scoreQueue.kind });
  return {
    async stop() {
      clearInterval(timer);
      await shared.scoreQueue.stop();
      await runtime.drain();
    },
  };
}
