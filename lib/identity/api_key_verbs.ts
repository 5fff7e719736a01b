import { and, desc, eq, lt, or } from "drizzle-orm";
import { apiKeys } from "../../schema/tables.ts";
import { AnalyticsQueryError, type ApiKeyUsagePoint, isCalendarDay } from "../analytics/index.ts";
import { PERMISSIONS } from "../auth/catalog.ts";
import { hashCredentialSecret, newCredentialSecret } from "../auth/credential_hash.ts";
import { type Actor, credentialActor, OWNER_VERTEX } from "../core/actor.ts";
import type { Ctx } from "../core/ctx.ts";
import { createGrants, type Grants } from "../core/grants.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import { type ApiKeyRow, newApiKeyId, revokeApiKeyRow } from "./api_keys.ts";

// The API-key operations (issue 10, ADR 0010), for your own keys (`/api/api-keys`: any
// authenticated user or service account, on its own keys only — another owner's key is a 404, not
// a 403) and for a service account's (`/api/service-accounts/{slug}/api-keys`: service_account:read
// or :update globally). Storage and authentication are ./api_keys.ts.

/** The longest rotation grace: a day covers a deploy window; longer leaves a leaked secret usable. */
export const MAX_ROTATION_GRACE_SECONDS = 86_400;

/** An API key as the API shows it (never its secret or hash). */
export interface ApiKey {
  key_id: string;
  owner: { kind: "user" | "service_account"; id: string };
  name: string;
  description: string;
  scopes: string[];
  organizations: string[] | null;
  expires_at: string;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  last_rotated_at: string | null;
  previous_secret_expires_at: string | null;
  revoked_at: string | null;
  status: "active" | "expired" | "revoked";
}

/** A key with its secret: the one time it is shown (create, rotate). */
export type ApiKeyWithSecret = ApiKey & { key: string };

/** What creating a key takes. */
export interface CreateApiKeyInput {
  name: string;
  description?: string;
  scopes?: string[];
  organizations?: string[] | null;
  expires_in_days?: number;
}

/** Usage of one key over days `from`..`to`. */
export interface ApiKeyUsage {
  key_id: string;
  from: string;
  to: string;
  data: ApiKeyUsagePoint[];
}

type Owner = { kind: "user" | "service_account"; id: string };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toApiKey(r: ApiKeyRow, now: Date): ApiKey {
  return {
    key_id: r.id,
    owner: { kind: r.ownerKind, id: r.ownerId },
    name: r.name,
    description: r.description,
    scopes: r.scopes,
    organizations: r.organizations,
    expires_at: r.expiresAt.toISOString(),
    created_at: r.createdAt.toISOString(),
    created_by: r.createdBy,
    last_used_at: iso(r.lastUsedAt),
    last_rotated_at: iso(r.lastRotatedAt),
    previous_secret_expires_at:
      r.previousSecretExpiresAt && r.previousSecretExpiresAt > now
        ? r.previousSecretExpiresAt.toISOString()
        : null,
    revoked_at: iso(r.revokedAt),
    status: r.revokedAt ? "revoked" : r.expiresAt <= now ? "expired" : "active",
  };
}

/** The caller as the owner of its own keys (users and service accounts have keys; Imbi itself does not). */
function selfOwner(actor: Actor): Owner {
  if (actor.kind !== "user" && actor.kind !== "service_account")
    throw new DomainError("BAD_REQUEST", "Only users and service accounts have API keys.");
  return { kind: actor.kind, id: actor.id };
}

/** The service account of the path; 404 when there is none. */
async function serviceAccount(ctx: Ctx, slug: string): Promise<Owner> {
  const row = await ctx.services.graph.one<{ slug: string }>(
    "MATCH (a:ServiceAccount) WHERE a.slug = $slug RETURN a.slug",
    { slug },
    ["slug"],
  );
  if (!row) throw new DomainError("NOT_FOUND", `No service account with slug '${slug}'.`);
  return { kind: "service_account", id: row.slug };
}

/** One key of the owner; a key of anyone else is the same 404 as a missing one. */
async function ownedKey(ctx: Ctx, owner: Owner, keyId: string): Promise<ApiKeyRow> {
  const [row] = await ctx.services.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.ownerKind, owner.kind), eq(apiKeys.ownerId, owner.id)));
  if (!row) throw new DomainError("NOT_FOUND", `No API key '${keyId}'.`);
  return row;
}

async function list(
  ctx: Ctx,
  owner: Owner,
  input: { limit: number; cursor?: string },
): Promise<Page<ApiKey>> {
  const after = cursorKey(decodeCursor(input.cursor), { c: "string", i: "string" });
  const at = after ? new Date(String(after.c)) : null;
  const rows = await ctx.services.db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.ownerKind, owner.kind),
        eq(apiKeys.ownerId, owner.id),
        after && at && !Number.isNaN(at.getTime())
          ? or(lt(apiKeys.createdAt, at), and(eq(apiKeys.createdAt, at), lt(apiKeys.id, String(after.i))))
          : undefined,
      ),
    )
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(input.limit + 1);
  const now = ctx.now();
  return pageFrom(
    rows.map((r) => toApiKey(r, now)),
    input.limit,
    (k) => ({ c: k.created_at, i: k.key_id }),
  );
}

const KNOWN = new Set(PERMISSIONS);
const unique = (xs: readonly string[]) => [...new Set(xs)];

/** The organizations the owner belongs to (slugs). */
async function ownerOrganizations(ctx: Ctx, owner: Owner): Promise<Set<string>> {
  const v = OWNER_VERTEX[owner.kind];
  const rows = await ctx.services.graph.query<{ org: string }>(
    `MATCH (u:${v.label})-[:MEMBER_OF]->(o:Organization) WHERE u.${v.key} = $id RETURN o.slug`,
    { id: owner.id },
    ["org"],
  );
  return new Set(rows.map((r) => r.org));
}

/**
 * Checks a new key's scopes and organizations against the catalog, the owner's memberships and
 * permissions, and the creating credential's own limits (a key never mints a wider key). Returns
 * the scopes and organizations to store.
 */
async function resolveLimits(
  ctx: Ctx,
  owner: Owner,
  input: CreateApiKeyInput,
): Promise<{ scopes: string[]; organizations: string[] | null }> {
  const requested = unique(input.scopes ?? []);
  const unknown = requested.filter((p) => !KNOWN.has(p));
  if (unknown.length > 0)
    throw new DomainError(
      "VALIDATION_FAILED",
      `Unknown scope(s): ${unknown.join(", ")}. Scopes are permission names (GET /api/permissions).`,
      unknown.map((p) => ({ location: "json.scopes", message: `unknown permission '${p}'` })),
    );
  const actor = ctx.actor;
  let organizations = input.organizations ? unique(input.organizations) : null;
  if (organizations) {
    const member = await ownerOrganizations(ctx, owner);
    const foreign = organizations.filter((o) => !member.has(o));
    if (foreign.length > 0)
      throw new DomainError(
        "VALIDATION_FAILED",
        `The key's owner is not a member of: ${foreign.join(", ")}. Name only organizations the owner belongs to.`,
        foreign.map((o) => ({ location: "json.organizations", message: `not a member of '${o}'` })),
      );
    const outside = actor.organizations ? organizations.filter((o) => !actor.organizations?.includes(o)) : [];
    if (outside.length > 0)
      throw new DomainError(
        "FORBIDDEN",
        `Your credential is limited to organizations ${actor.organizations?.join(", ")}; it cannot create a key for ${outside.join(", ")}.`,
      );
  } else if (actor.organizations) organizations = [...actor.organizations];

  // What the owner holds, limited to the named organizations: your own grants (already limited by
  // the credential you call with), or the service account's.
  const self = owner.kind === actor.kind && owner.id === actor.id;
  const grants: Grants = self
    ? ctx.grants
    : createGrants(
        ctx.services.graph,
        credentialActor({ ...owner, credential: { method: "internal" }, scopes: null, organizations }, false),
        ctx.services.env.IMBI_SYSTEM_ORGANIZATION,
      );
  const held = new Set<string>();
  if (organizations) for (const o of organizations) for (const p of await grants.in(o)) held.add(p);
  else for (const p of await grants.anywhere()) held.add(p);

  let scopes = requested;
  if (actor.scopes !== null && scopes.length === 0) {
    // An empty list means "everything the owner has", which would be wider than the caller's key.
    scopes = actor.scopes.filter((p) => held.has(p));
    if (scopes.length === 0)
      throw new DomainError("FORBIDDEN", "Your credential's scopes leave nothing this key could be granted.");
  }
  const beyondCaller = actor.scopes ? scopes.filter((p) => !actor.scopes?.includes(p)) : [];
  const notHeld = scopes.filter((p) => !held.has(p) || beyondCaller.includes(p));
  if (notHeld.length > 0)
    throw new DomainError(
      "FORBIDDEN",
      `The key cannot be granted ${notHeld.join(", ")}: ${self ? "you do" : `the service account '${owner.id}' does`} not hold ${
        notHeld.length > 1 ? "them" : "it"
      } ${organizations ? `in ${organizations.join(", ")}` : "in any organization"}${
        actor.scopes ? " (or your credential's scopes exclude it)" : ""
      }.`,
    );
  return { scopes, organizations };
}

async function create(ctx: Ctx, owner: Owner, input: CreateApiKeyInput): Promise<ApiKeyWithSecret> {
  const { env } = ctx.services;
  const max = env.IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS;
  const days = input.expires_in_days ?? max;
  if (days > max)
    throw new DomainError(
      "VALIDATION_FAILED",
      `expires_in_days must be at most ${max} (IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS).`,
      [{ location: "json.expires_in_days", message: `at most ${max}` }],
    );
  const limits = await resolveLimits(ctx, owner, input);
  const id = newApiKeyId();
  const secret = newCredentialSecret();
  const now = ctx.now();
  const [row] = await ctx.services.db
    .insert(apiKeys)
    .values({
      id,
      ownerKind: owner.kind,
      ownerId: owner.id,
      name: input.name,
      description: input.description ?? "",
      secretHash: await hashCredentialSecret(env, secret),
      scopes: limits.scopes,
      organizations: limits.organizations,
      expiresAt: new Date(now.getTime() + days * 86_400_000),
      createdAt: now,
      createdBy: ctx.actor.id,
    })
    .returning();
  if (!row) throw new Error("api key insert returned no row");
  ctx.audit({
    event: "api_key_created",
    subject: id,
    details: {
      owner_kind: owner.kind,
      owner_id: owner.id,
      name: input.name,
      scopes: limits.scopes,
      organizations: limits.organizations,
      expires_at: row.expiresAt.toISOString(),
    },
  });
  return { ...toApiKey(row, now), key: `${id}_${secret}` };
}

async function rotate(
  ctx: Ctx,
  owner: Owner,
  input: { key_id: string; grace_seconds?: number },
): Promise<ApiKeyWithSecret> {
  const row = await ownedKey(ctx, owner, input.key_id);
  const now = ctx.now();
  if (row.revokedAt || row.expiresAt <= now)
    throw new DomainError(
      "CONFLICT",
      `API key '${row.id}' is ${row.revokedAt ? "revoked" : "expired"}; create a new key instead.`,
    );
  const grace = Math.min(input.grace_seconds ?? 0, MAX_ROTATION_GRACE_SECONDS);
  const secret = newCredentialSecret();
  const [updated] = await ctx.services.db
    .update(apiKeys)
    .set({
      secretHash: await hashCredentialSecret(ctx.services.env, secret),
      previousSecretHash: grace > 0 ? row.secretHash : null,
      previousSecretExpiresAt: grace > 0 ? new Date(now.getTime() + grace * 1000) : null,
      lastRotatedAt: now,
    })
    .where(eq(apiKeys.id, row.id))
    .returning();
  if (!updated) throw new DomainError("NOT_FOUND", `No API key '${row.id}'.`);
  ctx.audit({
    event: "api_key_rotated",
    subject: row.id,
    details: { owner_kind: owner.kind, owner_id: owner.id, grace_seconds: grace },
  });
  return { ...toApiKey(updated, now), key: `${row.id}_${secret}` };
}

async function revoke(ctx: Ctx, owner: Owner, keyId: string): Promise<void> {
  const row = await ownedKey(ctx, owner, keyId);
  if (await revokeApiKeyRow(ctx.services, row, ctx.actor.id))
    ctx.audit({
      event: "api_key_revoked",
      subject: row.id,
      details: { owner_kind: owner.kind, owner_id: owner.id },
    });
}

const DAY_MS = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

async function usage(
  ctx: Ctx,
  owner: Owner,
  input: { key_id: string; from?: string; to?: string },
): Promise<ApiKeyUsage> {
  const row = await ownedKey(ctx, owner, input.key_id);
  for (const field of ["from", "to"] as const) {
    const v = input[field];
    if (v !== undefined && !isCalendarDay(v))
      throw new DomainError(
        "VALIDATION_FAILED",
        `${field} must be a calendar day, YYYY-MM-DD (got '${v}').`,
        [{ location: `query.${field}`, message: "not a calendar day" }],
      );
  }
  const to = input.to ?? dayOf(ctx.now());
  const from = input.from ?? dayOf(new Date(Date.parse(to) - 29 * DAY_MS));
  try {
    const data = await ctx.services.analytics.apiKeyUsage({ keyId: row.id, from, to });
    return { key_id: row.id, from, to, data };
  } catch (e) {
    if (e instanceof AnalyticsQueryError)
      throw new DomainError("VALIDATION_FAILED", `The usage window is invalid: ${e.message}`);
    throw e;
  }
}

// ---- Your own keys ---------------------------------------------------------------------------

const OWN = { scope: "authenticated" } as const;

/** Your API keys, newest first (revoked and expired ones too, with their status). */
export const listApiKeys = defineVerb({
  name: "listApiKeys",
  access: OWN,
  run: (ctx, input: { limit: number; cursor?: string }) => list(ctx, selfOwner(ctx.actor), input),
});

/** Creates one of your API keys; the answer holds its secret, shown this once. */
export const createApiKey = defineVerb({
  name: "createApiKey",
  access: OWN,
  run: (ctx, input: CreateApiKeyInput) => create(ctx, selfOwner(ctx.actor), input),
});

/** One of your API keys. */
export const getApiKey = defineVerb({
  name: "getApiKey",
  access: OWN,
  run: async (ctx, input: { key_id: string }) =>
    toApiKey(await ownedKey(ctx, selfOwner(ctx.actor), input.key_id), ctx.now()),
});

/** Revokes one of your API keys, at once on every process. */
export const revokeApiKey = defineVerb({
  name: "revokeApiKey",
  access: OWN,
  run: (ctx, input: { key_id: string }) => revoke(ctx, selfOwner(ctx.actor), input.key_id),
});

/** Gives one of your API keys a new secret (same id); the old one works for `grace_seconds` more. */
export const rotateApiKey = defineVerb({
  name: "rotateApiKey",
  access: OWN,
  run: (ctx, input: { key_id: string; grace_seconds?: number }) => rotate(ctx, selfOwner(ctx.actor), input),
});

/** Requests made with one of your API keys, per day, route, method and status. */
export const getApiKeyUsage = defineVerb({
  name: "getApiKeyUsage",
  access: OWN,
  run: (ctx, input: { key_id: string; from?: string; to?: string }) =>
    usage(ctx, selfOwner(ctx.actor), input),
});

// ---- A service account's keys ----------------------------------------------------------------

const SA_READ = { scope: "global", permission: "service_account:read" } as const;
const SA_UPDATE = { scope: "global", permission: "service_account:update" } as const;

/** A service account's API keys, newest first. */
export const listServiceAccountApiKeys = defineVerb({
  name: "listServiceAccountApiKeys",
  access: SA_READ,
  run: async (ctx, input: { slug: string; limit: number; cursor?: string }) =>
    list(ctx, await serviceAccount(ctx, input.slug), input),
});

/** Creates an API key for a service account, within what the account holds. */
export const createServiceAccountApiKey = defineVerb({
  name: "createServiceAccountApiKey",
  access: SA_UPDATE,
  run: async (ctx, input: CreateApiKeyInput & { slug: string }) =>
    create(ctx, await serviceAccount(ctx, input.slug), input),
});

/** One API key of a service account. */
export const getServiceAccountApiKey = defineVerb({
  name: "getServiceAccountApiKey",
  access: SA_READ,
  run: async (ctx, input: { slug: string; key_id: string }) =>
    toApiKey(await ownedKey(ctx, await serviceAccount(ctx, input.slug), input.key_id), ctx.now()),
});

/** Revokes an API key of a service account. */
export const revokeServiceAccountApiKey = defineVerb({
  name: "revokeServiceAccountApiKey",
  access: SA_UPDATE,
  run: async (ctx, input: { slug: string; key_id: string }) =>
    revoke(ctx, await serviceAccount(ctx, input.slug), input.key_id),
});

/** Rotates an API key of a service account. */
export const rotateServiceAccountApiKey = defineVerb({
  name: "rotateServiceAccountApiKey",
  access: SA_UPDATE,
  run: async (ctx, input: { slug: string; key_id: string; grace_seconds?: number }) =>
    rotate(ctx, await serviceAccount(ctx, input.slug), input),
});

/** Requests made with an API key of a service account. */
export const getServiceAccountApiKeyUsage = defineVerb({
  name: "getServiceAccountApiKeyUsage",
  access: SA_READ,
  run: async (ctx, input: { slug: string; key_id: string; from?: string; to?: string }) =>
    usage(ctx, await serviceAccount(ctx, input.slug), input),
});
