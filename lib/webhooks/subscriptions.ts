import { customAlphabet } from "nanoid";
import type { Sql } from "../db.ts";
import { DomainError } from "../errors.ts";
import type { EVENT_ACTIONS, EVENT_ENTITY_TYPES } from "./events.ts";

// Storage of an organization's webhook subscriptions (schema/sql/0008). The signing secret is kept
// sealed (lib/auth/secret_box.ts) and never leaves this module except through `sealedSecret`, which
// only the dispatcher and the verbs that show it once call.

/** Subscription ids: `sub_` + 21 characters. */
export const newSubscriptionId = (() => {
  const tail = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 21);
  return () => `sub_${tail()}`;
})();

/** The event filter: an empty list matches every value. */
export interface SubscriptionFilter {
  entity_types: (typeof EVENT_ENTITY_TYPES)[number][];
  actions: (typeof EVENT_ACTIONS)[number][];
  projects: string[];
  teams: string[];
}

/** A subscription as the API shows it (never its secret). */
export interface Subscription extends SubscriptionFilter {
  id: string;
  url: string;
  description: string;
  active: boolean;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** Consecutive failed attempts (the circuit breaker's counter; 0 after a success). */
  consecutive_failures: number;
  /** While in the future, nothing is sent (the circuit is open). */
  circuit_open_until: string | null;
}

/** The writable fields. */
export interface SubscriptionFields extends SubscriptionFilter {
  url: string;
  description: string;
  active: boolean;
}

interface Row extends SubscriptionFilter {
  id: string;
  url: string;
  description: string;
  active: boolean;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
  consecutive_failures: number;
  circuit_open_until: Date | string | null;
}

// With fetch_types off postgres.js neither sends nor parses text[]: arrays travel as JSON.
const COLUMNS = `id, url, description, to_jsonb(entity_types) AS entity_types, to_jsonb(actions) AS actions,
  to_jsonb(projects) AS projects, to_jsonb(teams) AS teams, active, created_by, created_at, updated_at,
  consecutive_failures, circuit_open_until`;

/** A text[] value from a JS array (sent as one JSON text parameter). */
const textArray = (sql: Sql, items: readonly string[]) =>
  sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(items)}::text::jsonb))::text[]`;

// Timestamps arrive as strings without the type catalog (fetch_types off), as Dates with it.
const iso = (d: Date | string) => new Date(d).toISOString();

function toSubscription(r: Row): Subscription {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    entity_types: r.entity_types,
    actions: r.actions,
    projects: r.projects,
    teams: r.teams,
    active: r.active,
    created_by: r.created_by,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    consecutive_failures: r.consecutive_failures,
    circuit_open_until: r.circuit_open_until ? iso(r.circuit_open_until) : null,
  };
}

const notFound = (id: string) => new DomainError("NOT_FOUND", `No webhook subscription '${id}'.`);

/** Inserts a subscription with its sealed secret. */
export async function insertSubscription(
  sql: Sql,
  orgId: string,
  f: SubscriptionFields & { id: string; secretEnc: string; createdBy: string },
): Promise<Subscription> {
  const [row] = await sql<Row[]>`
    INSERT INTO webhook_subscriptions
      (id, org_id, url, description, entity_types, actions, projects, teams, active, secret_enc, created_by)
    VALUES (${f.id}, ${orgId}, ${f.url}, ${f.description}, ${textArray(sql, f.entity_types)}, ${textArray(sql, f.actions)}, ${textArray(sql, f.projects)},
      ${textArray(sql, f.teams)}, ${f.active}, ${f.secretEnc}, ${f.createdBy})
    RETURNING ${sql.unsafe(COLUMNS)}`;
  return toSubscription(row as Row);
}

/** One subscription of the organization (404 otherwise, also for another organization's). */
export async function getSubscription(sql: Sql, orgId: string, id: string): Promise<Subscription> {
  const [row] = await sql<Row[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM webhook_subscriptions WHERE org_id = ${orgId} AND id = ${id}`;
  if (!row) throw notFound(id);
  return toSubscription(row);
}

/** The organization's subscriptions by id, after `after`; `limit + 1` rows for paging. */
export async function listSubscriptions(
  sql: Sql,
  orgId: string,
  page: { after: string | null; limit: number },
): Promise<Subscription[]> {
  const rows = await sql<Row[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM webhook_subscriptions
    WHERE org_id = ${orgId} AND (${page.after}::text IS NULL OR id > ${page.after})
    ORDER BY id LIMIT ${page.limit + 1}`;
  return rows.map(toSubscription);
}

/**
 * Writes the fields; with `unchangedSince` only if the row was not updated since (412 otherwise;
 * compared at the millisecond precision the API shows).
 * A re-activated subscription starts with a closed circuit.
 */
export async function updateSubscription(
  sql: Sql,
  orgId: string,
  id: string,
  f: SubscriptionFields,
  unchangedSince?: string,
): Promise<Subscription> {
  const [row] = await sql<Row[]>`
    UPDATE webhook_subscriptions SET url = ${f.url}, description = ${f.description},
      entity_types = ${textArray(sql, f.entity_types)}, actions = ${textArray(sql, f.actions)}, projects = ${textArray(sql, f.projects)},
      teams = ${textArray(sql, f.teams)}, active = ${f.active}, updated_at = now(),
      consecutive_failures = CASE WHEN ${f.active} AND NOT active THEN 0 ELSE consecutive_failures END,
      circuit_open_until = CASE WHEN ${f.active} AND NOT active THEN NULL ELSE circuit_open_until END
    WHERE org_id = ${orgId} AND id = ${id}
      AND (${unchangedSince ?? null}::timestamptz IS NULL OR date_trunc('milliseconds', updated_at) = ${unchangedSince ?? null}::timestamptz)
    RETURNING ${sql.unsafe(COLUMNS)}`;
  if (row) return toSubscription(row);
  await getSubscription(sql, orgId, id);
  throw new DomainError(
    "PRECONDITION_FAILED",
    "The subscription changed since your If-Match ETag; GET it again.",
  );
}

/** Replaces the sealed secret. */
export async function setSecret(
  sql: Sql,
  orgId: string,
  id: string,
  secretEnc: string,
): Promise<Subscription> {
  const [row] = await sql<Row[]>`
    UPDATE webhook_subscriptions SET secret_enc = ${secretEnc}, updated_at = now()
    WHERE org_id = ${orgId} AND id = ${id} RETURNING ${sql.unsafe(COLUMNS)}`;
  if (!row) throw notFound(id);
  return toSubscription(row);
}

/** Deletes a subscription and (cascade) its deliveries. */
export async function deleteSubscription(sql: Sql, orgId: string, id: string): Promise<void> {
  const rows =
    await sql`DELETE FROM webhook_subscriptions WHERE org_id = ${orgId} AND id = ${id} RETURNING id`;
  if (rows.length === 0) throw notFound(id);
}

/** The sealed secrets of subscriptions by id (the dispatcher's signing keys). */
export async function sealedSecrets(sql: Sql, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; secret_enc: string }[]>`
    SELECT id, secret_enc FROM webhook_subscriptions WHERE id = ANY(${textArray(sql, ids)})`;
  return new Map(rows.map((r) => [r.id, r.secret_enc]));
}

/** The filters of an organization's active subscriptions (for fan-out). */
export async function activeFilters(
  sql: Sql,
  orgId: string,
): Promise<(SubscriptionFilter & { id: string })[]> {
  return sql<(SubscriptionFilter & { id: string })[]>`
    SELECT id, to_jsonb(entity_types) AS entity_types, to_jsonb(actions) AS actions,
      to_jsonb(projects) AS projects, to_jsonb(teams) AS teams FROM webhook_subscriptions
    WHERE org_id = ${orgId} AND active ORDER BY id`;
}
