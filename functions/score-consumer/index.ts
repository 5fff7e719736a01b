// The score consumer function (DESIGN.md §4 queue row, §8): turns queue batches into recomputed
// scores. The same handler runs as the Workers `queue()` handler (apps/worker), inside `imbi serve`,
// and alone as `imbi consume-scores` (apps/node/scores.ts). Stateless: every batch gets its own
// services, closed when the batch is done.

import { recomputeBatch } from "../../lib/scoring/recompute.ts";
import { projectIdsFor } from "../../lib/scoring/triggers.ts";
import type { EnqueueResult, MessageOutcome, ScoreHandler } from "../../lib/scoring/types.ts";
import type { Services } from "../../lib/services.ts";

/**
 * A queue handler that recomputes each batch with fresh services. A throw (Postgres down) makes the
 * adapter retry the whole batch; a failed history write comes back as per-message retries.
 */
export function scoreHandler(makeServices: () => Services): ScoreHandler {
  const run: ScoreHandler = async (batch) => {
    const s = makeServices();
    try {
      return await recomputeBatch(s, batch);
    } finally {
      await s.close();
    }
  };
  return async (batch) => {
    try {
      return await run(batch);
    } catch (e) {
      if (batch.length === 1) throw e;
      // One poison message must not hold the rest of its batch hostage (they would all end in the
      // dead-letter queue together): retry them one by one, so only the bad one fails.
      const out = new Map<string, MessageOutcome>();
      for (const m of batch) {
        try {
          for (const [id, outcome] of await run([m])) out.set(id, outcome);
        } catch {
          out.set(m.id, "retry");
        }
      }
      return out;
    }
  };
}

/** What {@link runDailyRecompute} did. */
export type DailyRecompute =
  | { ran: false; reason: string }
  | ({ ran: true; projects: number } & EnqueueResult);

/**
 * Enqueues every project once a day (reason `scheduled_recompute`) so scores converge even if a
 * request was lost: from IMBI_SCORE_DAILY_HOUR_UTC on, the first caller of the day advances the
 * `scheduled_runs` row (an atomic upsert in Postgres, so it holds across processes, Workers and
 * restarts) and enqueues; every other call that day is a no-op. Cheap to call often.
 */
export async function runDailyRecompute(s: Services, now = new Date()): Promise<DailyRecompute> {
  if (now.getUTCHours() < s.env.IMBI_SCORE_DAILY_HOUR_UTC)
    return { ran: false, reason: "before the daily hour" };
  const day = now.toISOString().slice(0, 10);
  const won = await s.sql`
    INSERT INTO scheduled_runs (name, last_run) VALUES ('score_daily_recompute', ${day}::date)
    ON CONFLICT (name) DO UPDATE SET last_run = EXCLUDED.last_run
    WHERE scheduled_runs.last_run < EXCLUDED.last_run
    RETURNING name`;
  if (won.length === 0) return { ran: false, reason: `already ran on ${day}` };
  const ids = await projectIdsFor(s.graph, {});
  const result = await s.scores.enqueue(
    ids.map((project_id) => ({ project_id, reason: "scheduled_recompute" as const, requested_by: "system" })),
  );
  s.log.info("daily score recompute requested", { day, projects: ids.length, ...result });
  return { ran: true, projects: ids.length, ...result };
}
