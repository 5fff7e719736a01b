import { nanoid } from "nanoid";
import type { EnqueueResult, ScoreMessage, ScoreQueue, ScoreRequest } from "./types.ts";

/**
 * The fallback when no queue is configured (a Worker without a `SCORE_QUEUE` binding): requests are
 * recomputed right away, after the response (`waitUntil`), in one batch per call — no debounce and no
 * retry, so a failure waits for the daily recompute. Real deployments bind a queue.
 */
export function createInlineScoreQueue(run: (batch: ScoreMessage[]) => void): ScoreQueue {
  return {
    kind: "memory",
    async enqueue(requests: ScoreRequest[]): Promise<EnqueueResult> {
      const seen = new Set<string>();
      const batch: ScoreMessage[] = [];
      const requested_at = new Date().toISOString();
      for (const r of requests) {
        if (seen.has(r.project_id)) continue;
        seen.add(r.project_id);
        batch.push({ ...r, id: nanoid(), requested_at, attempts: 1 });
      }
      if (batch.length > 0) run(batch);
      return { enqueued: batch.length, debounced: requests.length - batch.length };
    },
  };
}
