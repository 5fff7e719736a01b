import { z } from "zod";
import { openSecret, sealSecret } from "../auth/secret_box.ts";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { patchFields } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import { getServiceAccountMembership } from "../identity/service_accounts.ts";
import type { JsonPatch } from "../json_patch.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import * as store from "./inbound.ts";
import { enqueueReceipts } from "./receiver.ts";
import { checkRules, type RuleInput, RuleSchema } from "./rules.ts";
import { WEBHOOK_PROVIDERS } from "./signatures.ts";

// Inbound webhooks (issue 13; ADR 0014), whichever door calls them: an organization's webhooks,
// their secrets (generated here, sealed before they are stored, shown by create and rotate only),
// their rules (checked when saved), and the log of what they received, with replay.

const SLUG = /^[a-z][a-z0-9-]*$/;
const POINTER = /^(\/[^/]*)+$/;

/** What a webhook's fields may hold (the create body and a patched webhook alike). */
export const WebhookWritable = z
  .object({
    slug: z.string().min(2).max(64).regex(SLUG, "must match ^[a-z][a-z0-9-]*$"),
    name: z.string().min(1).max(256),
    description: z.string().max(2048),
    provider: z.enum(WEBHOOK_PROVIDERS),
    identifier_source: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, "must be an identifiers key"),
    identifier_selector: z.string().max(256).regex(POINTER, "must be a JSON Pointer such as /repository/id"),
    event_type_selector: z.string().min(1).max(256),
    sender_selector: z
      .string()
      .max(256)
      .refine((s) => s === "" || POINTER.test(s), "must be a JSON Pointer such as /sender/login, or empty"),
    service_account: z.string().min(2).max(64).regex(SLUG, "must be a service account's slug"),
    rules: z.array(RuleSchema).max(50),
    active: z.boolean(),
  })
  .meta({ description: "The fields of a webhook a JSON Patch may change" });

const READ_ONLY = ["id", "path", "created_by", "created_at", "updated_at"] as const;

/** A webhook with its secret, as create and rotate answer (the only time it is shown). */
export type WebhookWithSecret = store.Webhook & { secret: string };

/** The input of create: required fields, and the rest defaulted per provider. */
export type CreateWebhookInput = Pick<store.WebhookFields, "slug" | "name" | "service_account"> &
  Partial<Omit<store.WebhookFields, "slug" | "name" | "service_account" | "rules">> & {
    rules?: RuleInput[];
    /** The secret to use (a sender that makes its own); generated when absent. */
    secret?: string;
  };

/** A list page request. */
export interface PageInput {
  limit: number;
  cursor?: string;
}

/** Defaults that make a GitHub webhook work without more configuration. */
const PROVIDER_DEFAULTS = {
  github: {
    identifier_source: "github",
    identifier_selector: "/repository/id",
    event_type_selector: "X-GitHub-Event",
    sender_selector: "/sender/login",
  },
  pagerduty: {
    identifier_source: "pagerduty",
    identifier_selector: "/event/data/service/id",
    event_type_selector: "/event/event_type",
    sender_selector: "",
  },
  generic: {
    identifier_source: "",
    identifier_selector: "/project/id",
    event_type_selector: "X-Imbi-Event",
    sender_selector: "",
  },
} as const;

/** A new secret: 32 random bytes, hex (what GitHub's settings page accepts as is). */
function newSecret(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const audit = (ctx: Ctx, event: string, subject: string) =>
  ctx.audit({ event, organization: orgOf(ctx).slug, subject });

/**
 * Requires that the rules' service account is a member of the organization, and that the caller
 * may act as it (`service_account:update`): choosing whom the rules run as is holding its
 * credential, so it must not lend someone more than they could give themselves.
 */
async function checkServiceAccount(ctx: Ctx, slug: string, org: string): Promise<void> {
  try {
    await getServiceAccountMembership(ctx.services.graph, slug, org);
  } catch (e) {
    if (e instanceof DomainError && e.code === "NOT_FOUND")
      throw new DomainError(
        "VALIDATION_FAILED",
        `service_account: '${slug}' is not a member of organization '${org}'; add it with a role that grants what the rules do (POST /service-accounts/{slug}/organizations).`,
        [{ location: "json.service_account", message: "not a member of the organization" }],
      );
    throw e;
  }
  const grants = await ctx.grants.global();
  if (!ctx.actor.isAdmin && !grants.has("service_account:update"))
    throw new DomainError(
      "FORBIDDEN",
      "Permission denied: choosing the service account a webhook's rules run as needs service_account:update globally.",
    );
}

function validated(fields: Omit<store.WebhookFields, "rules"> & { rules: unknown }): store.WebhookFields {
  if (!fields.identifier_source)
    throw new DomainError(
      "VALIDATION_FAILED",
      "identifier_source: name the key of the projects' identifiers this sender's ids are under (e.g. github)",
      [{ location: "json.identifier_source", message: "required for this provider" }],
    );
  const parsed = WebhookWritable.safeParse(fields);
  if (!parsed.success)
    throw new DomainError(
      "VALIDATION_FAILED",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
      parsed.error.issues.map((i) => ({ location: `json.${i.path.join(".")}`, message: i.message })),
    );
  return { ...parsed.data, rules: checkRules(parsed.data.rules) };
}

/** Creates a webhook; the answer holds its secret, once. */
export const createWebhook = defineVerb({
  name: "createWebhook",
  access: { scope: "organization", permission: "webhook:create" },
  async run(ctx, input: CreateWebhookInput): Promise<WebhookWithSecret> {
    const org = orgOf(ctx);
    const provider = input.provider ?? "github";
    const d = PROVIDER_DEFAULTS[provider];
    const fields = validated({
      slug: input.slug,
      name: input.name,
      description: input.description ?? "",
      provider,
      identifier_source: input.identifier_source ?? d.identifier_source,
      identifier_selector: input.identifier_selector ?? d.identifier_selector,
      event_type_selector: input.event_type_selector ?? d.event_type_selector,
      sender_selector: input.sender_selector ?? d.sender_selector,
      service_account: input.service_account,
      rules: input.rules ?? [],
      active: input.active ?? true,
    });
    await checkServiceAccount(ctx, fields.service_account, org.slug);
    const secret = input.secret ?? newSecret();
    const created = await store.insertWebhook(ctx.services.sql, org.id, {
      ...fields,
      id: store.newWebhookId(),
      secretEnc: await sealSecret(ctx.services.env, "inbound-webhook", secret),
      createdBy: ctx.actor.id,
    });
    audit(ctx, "webhook_created", created.slug);
    return { ...created, secret };
  },
});

/** The organization's webhooks by slug (never their secrets). */
export const listWebhooks = defineVerb({
  name: "listWebhooks",
  access: { scope: "organization", permission: "webhook:read" },
  async run(ctx, input: PageInput): Promise<Page<store.Webhook>> {
    const after = cursorKey(decodeCursor(input.cursor), { s: "string" });
    const rows = await store.listWebhooks(ctx.services.sql, orgOf(ctx).id, {
      after: after ? String(after.s) : null,
      limit: input.limit,
    });
    return pageFrom(rows, input.limit, (w) => ({ s: w.slug }));
  },
});

/** One webhook by slug or id (never its secret). */
export const getWebhook = defineVerb({
  name: "getWebhook",
  access: { scope: "organization", permission: "webhook:read" },
  run: (ctx, input: { webhook: string }) => store.getWebhook(ctx.services.sql, orgOf(ctx).id, input.webhook),
});

/** JSON Patch over the webhook's fields and rules (re-checked); `ifMatch` makes it conditional. */
export const updateWebhook = defineVerb({
  name: "updateWebhook",
  access: { scope: "organization", permission: "webhook:update" },
  async run(ctx, input: { webhook: string; patch: JsonPatch; ifMatch?: string }): Promise<store.Webhook> {
    const org = orgOf(ctx);
    const current = await store.getWebhook(ctx.services.sql, org.id, input.webhook);
    await checkIfMatch(input.ifMatch, current);
    const next = validated(patchFields(current, input.patch, READ_ONLY, WebhookWritable));
    if (next.service_account !== current.service_account)
      await checkServiceAccount(ctx, next.service_account, org.slug);
    const updated = await store.updateWebhook(
      ctx.services.sql,
      org.id,
      current.id,
      next,
      unchangedSince(input.ifMatch, current.updated_at),
    );
    audit(ctx, "webhook_updated", updated.slug);
    return updated;
  },
});

/** Deletes a webhook, its rules and its deliveries; its URL answers 404 from now on. */
export const deleteWebhook = defineVerb({
  name: "deleteWebhook",
  access: { scope: "organization", permission: "webhook:delete" },
  async run(ctx, input: { webhook: string }): Promise<void> {
    const org = orgOf(ctx);
    const current = await store.getWebhook(ctx.services.sql, org.id, input.webhook);
    await store.deleteWebhook(ctx.services.sql, org.id, current.id);
    audit(ctx, "webhook_deleted", current.slug);
  },
});

/** Gives the webhook a new secret, returned only now; deliveries signed with the old one are refused. */
export const rotateWebhookSecret = defineVerb({
  name: "rotateWebhookSecret",
  access: { scope: "organization", permission: "webhook:update" },
  async run(ctx, input: { webhook: string }): Promise<WebhookWithSecret> {
    const org = orgOf(ctx);
    const current = await store.getWebhook(ctx.services.sql, org.id, input.webhook);
    const secret = newSecret();
    const sealed = await sealSecret(ctx.services.env, "inbound-webhook", secret);
    const updated = await store.setWebhookSecret(ctx.services.sql, org.id, current.id, sealed);
    await openSecret(ctx.services.env, "inbound-webhook", sealed);
    audit(ctx, "webhook_secret_rotated", updated.slug);
    return { ...updated, secret };
  },
});

/** The webhook's received deliveries, newest first; `status` filters (`dead`: those that gave up). */
export const listWebhookDeliveries = defineVerb({
  name: "listWebhookDeliveries",
  access: { scope: "organization", permission: "webhook:read" },
  async run(
    ctx,
    input: PageInput & { webhook: string; status?: store.ReceiptStatus },
  ): Promise<Page<store.Receipt>> {
    const w = await store.getWebhook(ctx.services.sql, orgOf(ctx).id, input.webhook);
    const after = cursorKey(decodeCursor(input.cursor), { q: "number" });
    const rows = await store.listReceipts(ctx.services.sql, w.id, {
      before: after ? Number(after.q) : null,
      limit: input.limit,
      status: input.status,
    });
    return pageFrom(rows, input.limit, (r) => ({ q: r.seq }));
  },
});

/** One received delivery with its outcomes. */
export const getWebhookDelivery = defineVerb({
  name: "getWebhookDelivery",
  access: { scope: "organization", permission: "webhook:read" },
  async run(ctx, input: { webhook: string; delivery: string }): Promise<store.Receipt> {
    const w = await store.getWebhook(ctx.services.sql, orgOf(ctx).id, input.webhook);
    return store.getReceipt(ctx.services.sql, w.id, input.delivery);
  },
});

/**
 * Runs a stored delivery's rules again on its stored body (after fixing a rule or a service
 * account's role): every rule runs anew; the actions' own idempotence (a release that exists, a
 * run already recorded) keeps a replay from doubling what was done. 409 while it is pending.
 */
export const replayWebhookDelivery = defineVerb({
  name: "replayWebhookDelivery",
  access: { scope: "organization", permission: "webhook:update" },
  async run(ctx, input: { webhook: string; delivery: string }): Promise<store.Receipt> {
    const w = await store.getWebhook(ctx.services.sql, orgOf(ctx).id, input.webhook);
    const replayed = await store.replayReceipt(ctx.services.sql, w.id, input.delivery);
    if (!replayed)
      throw new DomainError(
        "CONFLICT",
        `Delivery '${input.delivery}' is still pending; it is processed (or gives up) before it can be replayed.`,
      );
    audit(ctx, "webhook_delivery_replayed", input.delivery);
    await enqueueReceipts(ctx.services, [replayed.id]);
    return replayed;
  },
});
