import { customAlphabet } from "nanoid";
import type { Services } from "../services.ts";
import { dispatchSoon } from "./dispatch.ts";
import { activeFilters, type SubscriptionFilter } from "./subscriptions.ts";

// The change events Imbi publishes to outbound webhooks, and their fan-out: each event becomes one
// delivery row per matching subscription of its organization (schema/sql/0008), in the order the
// events were published; the dispatcher (./dispatch.ts) sends them, one at a time per project.

/** The entity types an event can be about (the filter's `entity_types`). */
export const EVENT_ENTITY_TYPES = [
  "project",
  "operations_log",
  "score",
  "release",
  "deployment",
  "release_blocker",
  "dependency",
] as const;
/** The actions (the filter's `actions`): score events are `changed`. */
export const EVENT_ACTIONS = ["created", "updated", "deleted", "changed"] as const;

/** One change of the catalog, as a verb or the score consumer reports it. */
export interface ChangeEvent {
  orgId: string;
  /** The organization's slug when the publisher knows it. */
  organization: string | null;
  entityType: (typeof EVENT_ENTITY_TYPES)[number];
  entityId: string;
  action: (typeof EVENT_ACTIONS)[number];
  /** The project it concerns (ordering key and `projects` filter); null when none. */
  projectId: string | null;
  /** The owning team's slug when known (the `teams` filter). */
  team: string | null;
  /** Who made the change: an email, a service account, `system`. */
  principal: string;
  occurredAt: string;
  /** The event's own fields (changes, the entry, the score…). */
  data: Record<string, unknown>;
}

/** Delivery ids, also the Standard Webhooks `webhook-id`: `msg_` + 24 characters. */
const newMessageId = (() => {
  const tail = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 24);
  return () => `msg_${tail()}`;
})();

/** Whether a subscription's filter takes an event (an empty list matches everything). */
export function matches(f: SubscriptionFilter, e: ChangeEvent): boolean {
  const takes = (list: readonly string[], value: string | null) =>
    list.length === 0 || (value !== null && list.includes(value));
  return (
    takes(f.entity_types, e.entityType) &&
    takes(f.actions, e.action) &&
    takes(f.projects, e.projectId) &&
    takes(f.teams, e.team)
  );
}

/** The JSON body of an event (Standard Webhooks' recommended `{type, timestamp, data}`). */
export function envelope(e: ChangeEvent): string {
  return JSON.stringify({
    type: `${e.entityType}.${e.action}`,
    timestamp: e.occurredAt,
    data: {
      organization: e.organization,
      organization_id: e.orgId,
      entity_type: e.entityType,
      entity_id: e.entityId,
      action: e.action,
      project_id: e.projectId,
      team: e.team,
      principal: e.principal,
      ...e.data,
    },
  });
}

/**
 * Queues the events for every matching subscription, then asks for a dispatch after the response.
 * The rows are written in one statement per call, so events of one call keep their order. Returns
 * how many deliveries were queued.
 */
export async function enqueueEvents(s: Services, events: readonly ChangeEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows: {
    id: string;
    subscription_id: string;
    ordering_key: string;
    event_type: string;
    payload: string;
  }[] = [];
  const filters = new Map<string, Awaited<ReturnType<typeof activeFilters>>>();
  for (const e of events) {
    let subs = filters.get(e.orgId);
    if (!subs) {
      subs = await activeFilters(s.sql, e.orgId);
      filters.set(e.orgId, subs);
    }
    const payload = envelope(e);
    for (const sub of subs)
      if (matches(sub, e))
        rows.push({
          id: newMessageId(),
          subscription_id: sub.id,
          ordering_key: e.projectId ?? `${e.entityType}:${e.entityId}`,
          event_type: `${e.entityType}.${e.action}`,
          payload,
        });
  }
  if (rows.length === 0) return 0;
  // One statement with ordinality: seq follows the events' order.
  await s.sql`
    INSERT INTO webhook_deliveries (id, subscription_id, ordering_key, event_type, payload)
    SELECT r->>'id', r->>'subscription_id', r->>'ordering_key', r->>'event_type', r->>'payload'
    FROM jsonb_array_elements(${JSON.stringify(rows)}::text::jsonb) WITH ORDINALITY AS t(r, n)
    ORDER BY n`;
  dispatchSoon(s);
  return rows.length;
}

/**
 * Queues events before the call that changed the catalog answers (so a client that waits for its
 * answer before its next change gets its events in order, and an acknowledged change has its
 * deliveries queued). Never fails that call: a failure to queue is logged.
 */
export async function publishEvents(s: Services, events: readonly ChangeEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await enqueueEvents(s, events);
  } catch (e) {
    s.log.warn("webhook events could not be queued", {
      events: events.length,
      error: e instanceof Error ? e.message : String(e),
    });
  }
}
