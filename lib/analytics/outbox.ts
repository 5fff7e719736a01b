import type { Sql } from "../db.ts";
import type { Logger } from "../log.ts";
import { attempt, fail, ok, type Result } from "../result.ts";
import { validateRows } from "./codec.ts";
import type { AnalyticsRow, AnalyticsStore, AnalyticsTable } from "./types.ts";

/** What one {@link OutboxedAnalytics.flush} did. */
export interface FlushResult {
  /** Rows the primary store accepted (and that were then removed from the outbox). */
  delivered: number;
  /** Rows still waiting. */
  remaining: number;
}

/** An analytics store whose failed inserts wait in the SQL outbox (DESIGN.md §4). */
export type OutboxedAnalytics = AnalyticsStore & {
  /**
   * Delivers outbox rows to the primary store in id order, in batches; deletes a row only after
   * the primary confirmed it, and stops at the first failure so order is kept. Concurrent calls
   * (other requests, other processes) are serialized by an advisory lock; a call that finds the
   * lock taken returns at once. Throws only when Postgres itself fails.
   */
  flush(): Promise<FlushResult>;
};

/** Options for {@link withOutbox}. */
export interface OutboxOptions {
  /** Where an opportunistic flush runs (`runtime.waitUntil`); without it, only explicit flushes run. */
  schedule?: (work: Promise<unknown>) => void;
  /** Rows per delivery (one ClickHouse insert per run of one table). Default 500. */
  batchSize?: number;
}

// Isolate-safe hints, not state: "the outbox may hold rows" (true at start, since an earlier
// process may have left some) and when this isolate last tried an opportunistic flush. Being
// wrong costs one cheap query or a few seconds of delay; the host timer flushes regardless.
let maybeDirty = true;
let lastKick = 0;
const KICK_INTERVAL_MS = 5_000;
// Any constant; the same in every process that flushes this database.
const FLUSH_LOCK = 7_351_902_119;

interface OutboxRow {
  id: string;
  table_name: AnalyticsTable;
  row_json: string;
}

/** Consecutive rows of the same table, delivered as one insert. */
function runs(rows: OutboxRow[]): OutboxRow[][] {
  const out: OutboxRow[][] = [];
  for (const r of rows) {
    const last = out.at(-1);
    if (last && last[0]?.table_name === r.table_name) last.push(r);
    else out.push([r]);
  }
  return out;
}

/**
 * Wraps `primary` (ClickHouse) so an insert that fails is parked in `analytics_outbox` in the
 * catalog's Postgres and reported as ok: nothing is lost while ClickHouse is down. Reads go to
 * the primary unchanged. Rows carry unique ids and the tables deduplicate on them, so a row that
 * is delivered twice (a crash between delivery and delete) stays one row.
 */
export function withOutbox(
  primary: AnalyticsStore,
  sql: Sql,
  log: Logger,
  opts: OutboxOptions = {},
): OutboxedAnalytics {
  const batchSize = opts.batchSize ?? 500;

  async function park(table: AnalyticsTable, rows: unknown[], error: string): Promise<void> {
    // One statement for the batch; WITH ORDINALITY keeps the rows' order in the id sequence. JSON
    // travels as text: a jsonb-typed parameter would be JSON-encoded a second time by postgres.js.
    await sql`insert into analytics_outbox (table_name, row_json, last_error)
      select ${table}, e.value, ${error}
      from jsonb_array_elements(${JSON.stringify(rows)}::text::jsonb) with ordinality as e(value, n)
      order by e.n`;
  }

  async function deliverBatch(): Promise<{ sent: number; more: boolean }> {
    return sql.begin(async (tx) => {
      const [lock] = await tx<
        { locked: boolean }[]
      >`select pg_try_advisory_xact_lock(${FLUSH_LOCK}) as locked`;
      if (!lock?.locked) return { sent: 0, more: false };
      const rows = await tx<OutboxRow[]>`
        select id::text as id, table_name, row_json::text as row_json
        from analytics_outbox order by id limit ${batchSize} for update`;
      let sent = 0;
      let error: Error | undefined;
      for (const run of runs(rows)) {
        const table = run[0]?.table_name as AnalyticsTable;
        const res = await primary.insert(
          table,
          run.map((r) => JSON.parse(r.row_json) as AnalyticsRow<typeof table>),
        );
        if (res.err) {
          error = res.err;
          break;
        }
        sent += run.length;
      }
      // A crash after the insert and before this commit redelivers the batch: harmless (dedup).
      if (sent > 0) {
        const ids = JSON.stringify(rows.slice(0, sent).map((r) => r.id));
        await tx`delete from analytics_outbox
          where id in (select jsonb_array_elements_text(${ids}::text::jsonb)::bigint)`;
      }
      const failed = rows[sent];
      if (error && failed)
        await tx`update analytics_outbox set attempts = attempts + 1, last_error = ${error.message}
          where id = ${failed.id}::bigint`;
      return { sent, more: !error && rows.length === batchSize };
    });
  }

  const store: OutboxedAnalytics = {
    ...primary,
    kind: primary.kind,

    async insert<T extends AnalyticsTable>(table: T, rows: AnalyticsRow<T>[]): Promise<Result<void>> {
      // Invalid rows are the caller's bug: they are refused, never parked.
      const valid = validateRows(table, rows);
      if (valid.err) return valid;
      if (valid.val.length === 0) return ok(undefined);
      const res = await primary.insert(table, valid.val as AnalyticsRow<T>[]);
      if (!res.err) {
        kick();
        return res;
      }
      const parked = await attempt(() => park(table, valid.val, res.err.message));
      if (parked.err) {
        log.error("analytics insert failed and the outbox is unavailable", {
          table,
          rows: valid.val.length,
          error: res.err.message,
          outboxError: parked.err.message,
        });
        return fail(res.err);
      }
      maybeDirty = true;
      log.warn("analytics store unavailable; rows kept in the outbox", {
        table,
        rows: valid.val.length,
        error: res.err.message,
      });
      return ok(undefined);
    },

    async flush() {
      let delivered = 0;
      for (;;) {
        const step = await deliverBatch();
        delivered += step.sent;
        if (!step.more) break;
      }
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from analytics_outbox`;
      const remaining = Number(row?.n ?? 0);
      maybeDirty = remaining > 0;
      if (delivered > 0) log.info("analytics outbox flushed", { delivered, remaining });
      return { delivered, remaining };
    },
  };

  /** After a successful insert the primary is up: a good moment to drain what waited. */
  function kick(): void {
    if (!opts.schedule || !maybeDirty || Date.now() - lastKick < KICK_INTERVAL_MS) return;
    lastKick = Date.now();
    opts.schedule(
      store
        .flush()
        .catch((e: unknown) =>
          log.warn("analytics outbox flush failed", { error: e instanceof Error ? e.message : String(e) }),
        ),
    );
  }

  return store;
}
