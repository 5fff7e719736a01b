import { z } from "zod";
import { openSecret, sealSecret } from "../auth/secret_box.ts";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { patchFields } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import type { JsonPatch } from "../json_patch.ts";
import { targetRefused } from "../net/address.ts";
import { checkTarget } from "../net/transport.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import { type Delivery, type DeliveryStatus, listDeliveries, redeliver } from "./deliveries.ts";
import { dispatchSoon } from "./dispatch.ts";
import { EVENT_ACTIONS, EVENT_ENTITY_TYPES } from "./events.ts";
import * as store from "./subscriptions.ts";

// The outbound-webhook subscription operations, whichever door calls them. The signing secret is
// generated here (Standard Webhooks `whsec_` + base64 of 32 random bytes), sealed before it is
// stored, and returned by create and rotate only. Every URL is checked against the SSRF rules
// (lib/net) before it is stored, so a refused target is a 400 and never a stored subscription.

const list = <T extends z.ZodType>(item: T) => z.array(item).max(100);

/** What a subscription's fields may hold (the create body and a patched subscription alike). */
export const SubscriptionWritable = z
  .object({
    url: z.url().max(2048),
    description: z.string().max(1024),
    entity_types: list(z.enum(EVENT_ENTITY_TYPES)),
    actions: list(z.enum(EVENT_ACTIONS)),
    projects: list(z.string().min(1).max(64)),
    teams: list(z.string().min(1).max(63)),
    active: z.boolean(),
  })
  .meta({ description: "The fields of a webhook subscription a JSON Patch may change" });

const READ_ONLY = [
  "id",
  "created_by",
  "created_at",
  "updated_at",
  "consecutive_failures",
  "circuit_open_until",
] as const;

/** A subscription with its secret, as create and rotate answer (the only time it is shown). */
export type SubscriptionWithSecret = store.Subscription & { secret: string };

/** A list page request. */
export interface PageInput {
  limit: number;
  cursor?: string;
}

/** A new Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
function newSecret(): string {
  return `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
}

/** Refuses a URL the SSRF rules do not allow (400 naming the field). */
async function checkUrl(ctx: Ctx, url: string): Promise<void> {
  const problem = await checkTarget(
    ctx.services.outbound,
    url,
    ctx.services.env.IMBI_WEBHOOKS_ALLOW_PRIVATE_TARGETS,
  );
  if (problem) throw targetRefused("url", problem);
}

const audit = (ctx: Ctx, event: string, subject: string) =>
  ctx.audit({ event, organization: orgOf(ctx).slug, subject });

/** Subscribes a URL to the organization's change events; the answer holds the secret, once. */
export const createSubscription = defineVerb({
  name: "createSubscription",
  access: { scope: "organization", permission: "subscription:create" },
  async run(
    ctx,
    input: { url: string } & Partial<Omit<store.SubscriptionFields, "url">>,
  ): Promise<SubscriptionWithSecret> {
    const org = orgOf(ctx);
    await checkUrl(ctx, input.url);
    const secret = newSecret();
    const created = await store.insertSubscription(ctx.services.sql, org.id, {
      id: store.newSubscriptionId(),
      url: input.url,
      description: input.description ?? "",
      entity_types: input.entity_types ?? [],
      actions: input.actions ?? [],
      projects: input.projects ?? [],
      teams: input.teams ?? [],
      active: input.active ?? true,
      secretEnc: await sealSecret(ctx.services.env, "webhook-subscription", secret),
      createdBy: ctx.actor.id,
    });
    audit(ctx, "webhook_subscription_created", created.id);
    return { ...created, secret };
  },
});

/** The organization's subscriptions by id (never their secrets). */
export const listSubscriptions = defineVerb({
  name: "listSubscriptions",
  access: { scope: "organization", permission: "subscription:read" },
  async run(ctx, input: PageInput): Promise<Page<store.Subscription>> {
    const after = cursorKey(decodeCursor(input.cursor), { i: "string" });
    const rows = await store.listSubscriptions(ctx.services.sql, orgOf(ctx).id, {
      after: after ? String(after.i) : null,
      limit: input.limit,
    });
    return pageFrom(rows, input.limit, (s) => ({ i: s.id }));
  },
});

/** One subscription (never its secret). */
export const getSubscription = defineVerb({
  name: "getSubscription",
  access: { scope: "organization", permission: "subscription:read" },
  run: (ctx, input: { subscription: string }) =>
    store.getSubscription(ctx.services.sql, orgOf(ctx).id, input.subscription),
});

/** JSON Patch over the URL (re-checked), description, filter and `active`; `ifMatch` makes it conditional. */
export const updateSubscription = defineVerb({
  name: "updateSubscription",
  access: { scope: "organization", permission: "subscription:update" },
  async run(ctx, input: { subscription: string; patch: JsonPatch; ifMatch?: string }) {
    const org = orgOf(ctx);
    const current = await store.getSubscription(ctx.services.sql, org.id, input.subscription);
    await checkIfMatch(input.ifMatch, current);
    const next = patchFields(current, input.patch, READ_ONLY, SubscriptionWritable);
    if (next.url !== current.url) await checkUrl(ctx, next.url);
    const updated = await store.updateSubscription(
      ctx.services.sql,
      org.id,
      input.subscription,
      next,
      unchangedSince(input.ifMatch, current.updated_at),
    );
    audit(ctx, "webhook_subscription_updated", updated.id);
    return updated;
  },
});

/** Deletes a subscription and its delivery log; nothing more is sent to it. */
export const deleteSubscription = defineVerb({
  name: "deleteSubscription",
  access: { scope: "organization", permission: "subscription:delete" },
  async run(ctx, input: { subscription: string }): Promise<void> {
    await store.deleteSubscription(ctx.services.sql, orgOf(ctx).id, input.subscription);
    audit(ctx, "webhook_subscription_deleted", input.subscription);
  },
});

/**
 * Gives the subscription a new secret, returned only now. Deliveries signed from now on use it
 * (a retry of an earlier delivery too: it is signed when sent).
 */
export const rotateSubscriptionSecret = defineVerb({
  name: "rotateSubscriptionSecret",
  access: { scope: "organization", permission: "subscription:update" },
  async run(ctx, input: { subscription: string }): Promise<SubscriptionWithSecret> {
    const secret = newSecret();
    const sealed = await sealSecret(ctx.services.env, "webhook-subscription", secret);
    const updated = await store.setSecret(ctx.services.sql, orgOf(ctx).id, input.subscription, sealed);
    // Proves the sealed value opens before the caller relies on it.
    await openSecret(ctx.services.env, "webhook-subscription", sealed);
    audit(ctx, "webhook_subscription_secret_rotated", updated.id);
    return { ...updated, secret };
  },
});

/** The subscription's delivery log, newest first; `status` filters (e.g. `dead`: the dead letters). */
export const listSubscriptionDeliveries = defineVerb({
  name: "listSubscriptionDeliveries",
  access: { scope: "organization", permission: "subscription:read" },
  async run(
    ctx,
    input: PageInput & { subscription: string; status?: DeliveryStatus },
  ): Promise<Page<Delivery>> {
    const org = orgOf(ctx);
    await store.getSubscription(ctx.services.sql, org.id, input.subscription);
    const after = cursorKey(decodeCursor(input.cursor), { s: "number" });
    const rows = await listDeliveries(ctx.services.sql, input.subscription, {
      before: after ? Number(after.s) : null,
      limit: input.limit,
      status: input.status,
    });
    return pageFrom(rows, input.limit, (d) => ({ s: d.seq }));
  },
});

/**
 * Sends a delivery again (a dead letter, or a delivered one): it becomes pending with fresh
 * attempts, keeps its id (receivers deduplicate on `webhook-id`) and its place in its project's
 * order; the subscription's circuit is closed, since someone says the receiver is back.
 */
export const redeliverSubscriptionDelivery = defineVerb({
  name: "redeliverSubscriptionDelivery",
  access: { scope: "organization", permission: "subscription:update" },
  async run(ctx, input: { subscription: string; delivery: string }): Promise<Delivery> {
    const org = orgOf(ctx);
    await store.getSubscription(ctx.services.sql, org.id, input.subscription);
    const delivery = await redeliver(ctx.services.sql, input.subscription, input.delivery);
    if (!delivery)
      throw new DomainError(
        "CONFLICT",
        `Delivery '${input.delivery}' is still pending; it is sent (or dead-lettered) before it can be redelivered.`,
      );
    audit(ctx, "webhook_delivery_redelivered", input.delivery);
    dispatchSoon(ctx.services);
    return delivery;
  },
});
