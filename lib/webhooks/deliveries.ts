import type { Sql } from "../db.ts";
import { DomainError } from "../errors.ts";

// The delivery log of a subscription (the rows of webhook_deliveries, schema/sql/0008) and the
// manual redelivery of one.

/** Where a delivery stands. */
export const DELIVERY_STATUSES = ["pending", "delivered", "dead"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A delivery as the API shows it. */
export interface Delivery {
  /** Also the `webhook-id` header: the same on every attempt. */
  id: string;
  /** Order of enqueueing (the list's keyset). */
  seq: number;
  event_type: string;
  /** The project (or `entity_type:id`) whose deliveries go out one at a time, in order. */
  ordering_key: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  /** The receiver's HTTP status of the last attempt; null when none came (refused, network, timeout). */
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  /** The event as sent. */
  payload: unknown;
}

interface Row {
  id: string;
  seq: string;
  event_type: string;
  ordering_key: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | string;
  last_attempt_at: Date | string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | string | null;
  created_at: Date | string;
  payload: string;
}

const COLUMNS = `id, seq::text AS seq, event_type, ordering_key, status, attempts, next_attempt_at,
  last_attempt_at, last_status, last_error, delivered_at, created_at, payload`;

// Timestamps arrive as strings without the type catalog (fetch_types off), as Dates with it.
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function toDelivery(r: Row): Delivery {
  return {
    id: r.id,
    seq: Number(r.seq),
    event_type: r.event_type,
    ordering_key: r.ordering_key,
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.status === "pending" ? iso(r.next_attempt_at) : null,
    last_attempt_at: iso(r.last_attempt_at),
    last_status: r.last_status,
    last_error: r.last_error,
    delivered_at: iso(r.delivered_at),
    created_at: new Date(r.created_at).toISOString(),
    payload: JSON.parse(r.payload),
  };
}

/** A subscription's deliveries, newest first, before `before` (a seq); `limit + 1` rows. */
export async function listDeliveries(
  sql: Sql,
  subscriptionId: string,
  page: { before: number | null; limit: number; status?: DeliveryStatus },
): Promise<Delivery[]> {
  const rows = await sql<Row[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM webhook_deliveries
    WHERE subscription_id = ${subscriptionId}
      AND (${page.before}::bigint IS NULL OR seq < ${page.before}::bigint)
      AND (${page.status ?? null}::text IS NULL OR status = ${page.status ?? null}::text)
    ORDER BY webhook_deliveries.seq DESC LIMIT ${page.limit + 1}`;
  return rows.map(toDelivery);
}

/**
 * Makes a finished delivery pending again (fresh attempts, due now) and closes the circuit of its
 * subscription; null when it is still pending. 404 when the subscription has no such delivery.
 */
export async function redeliver(sql: Sql, subscriptionId: string, id: string): Promise<Delivery | null> {
  return sql.begin(async (tx) => {
    const [row] = await tx<Row[]>`
      UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(),
        locked_until = NULL, last_error = NULL
      WHERE subscription_id = ${subscriptionId} AND id = ${id} AND status <> 'pending'
      RETURNING ${tx.unsafe(COLUMNS)}`;
    if (!row) {
      const [exists] =
        await tx`SELECT 1 FROM webhook_deliveries WHERE subscription_id = ${subscriptionId} AND id = ${id}`;
      if (!exists)
        throw new DomainError("NOT_FOUND", `No delivery '${id}' of subscription '${subscriptionId}'.`);
      return null;
    }
    await tx`UPDATE webhook_subscriptions SET consecutive_failures = 0, circuit_open_until = NULL
      WHERE id = ${subscriptionId}`;
    return toDelivery(row);
  }) as Promise<Delivery | null>;
}

/** Deletes delivered deliveries older than `days` (dead letters stay until redelivered or deleted). */
export async function pruneDelivered(sql: Sql, days: number): Promise<number> {
  const rows = await sql`
    DELETE FROM webhook_deliveries
    WHERE status = 'delivered' AND delivered_at < now() - make_interval(days => ${days}) RETURNING 1`;
  return rows.length;
}
