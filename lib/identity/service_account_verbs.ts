import { calculateJwkThumbprint, importJWK } from "jose";
import { z } from "zod";
import { PERMISSIONS } from "../auth/catalog.ts";
import { patchFields } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import type { Graph } from "../graph/graph.ts";
import type { JsonPatch } from "../json_patch.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import { revokeOwnerApiKeys } from "./api_keys.ts";
import { assertCanAssign, MembershipWritable } from "./membership_verbs.ts";
import { getRole } from "./roles.ts";
import * as creds from "./service_account_credentials.ts";
import * as store from "./service_accounts.ts";

// Service accounts and their credentials, whichever door calls. They are global resources: every
// operation needs the service_account permission globally (an administrator, or a role in the
// system organization). A membership's role may also grant only what the caller holds in that
// organization (the rule of user memberships). Storage: ./service_accounts.ts (graph) and
// ./service_account_credentials.ts (SQL).

/** What a patch may change on a service account. */
export const ServiceAccountWritable = z
  .object({
    display_name: z.string().min(1).max(256),
    description: z.string().max(4096),
    is_active: z.boolean(),
  })
  .meta({ description: "The fields of a service account a JSON Patch may change" });

const READ_ONLY = ["slug", "created_at", "updated_at"] as const;
const MEMBERSHIP_READ_ONLY = ["service_account", "organization", "created_at"] as const;

interface PageInput {
  limit: number;
  cursor?: string;
}

const KNOWN = new Set(PERMISSIONS);

/** Service accounts by slug; `active` filters on the flag. */
export const listServiceAccounts = defineVerb({
  name: "listServiceAccounts",
  access: { scope: "global", permission: "service_account:read" },
  async run(ctx, input: PageInput & { active?: boolean }): Promise<Page<store.ServiceAccount>> {
    const after = cursorKey(decodeCursor(input.cursor), { s: "string" });
    const rows = await store.listServiceAccounts(ctx.services.graph, {
      after: after ? String(after.s) : null,
      limit: input.limit,
      active: input.active,
    });
    return pageFrom(rows, input.limit, (a) => ({ s: a.slug }));
  },
});

/** Creates a service account (409 when the slug is taken). */
export const createServiceAccount = defineVerb({
  name: "createServiceAccount",
  access: { scope: "global", permission: "service_account:create" },
  async run(ctx, input: { slug: string; display_name: string; description?: string; is_active?: boolean }) {
    const account = await store.createServiceAccount(ctx.services.graph, input);
    ctx.audit({ event: "service_account_created", subject: account.slug });
    return { ...account, organizations: [] as { slug: string; name: string; role: string }[] };
  },
});

/** A service account with its organizations and the role in each. */
async function accountDetail(graph: Graph, slug: string) {
  const account = await store.getServiceAccount(graph, slug);
  const orgs = await store.serviceAccountMemberships(graph, slug);
  return { ...account, organizations: orgs.map(({ slug, name, role }) => ({ slug, name, role })) };
}

/** One service account with its organizations and the role in each. */
export const getServiceAccount = defineVerb({
  name: "getServiceAccount",
  access: { scope: "global", permission: "service_account:read" },
  run: (ctx, input: { slug: string }) => accountDetail(ctx.services.graph, input.slug),
});

/**
 * JSON Patch over display_name, description and is_active (412 with a stale If-Match).
 * Deactivating an account refuses its tokens at once (authentication loads the owner).
 */
export const updateServiceAccount = defineVerb({
  name: "updateServiceAccount",
  access: { scope: "global", permission: "service_account:update" },
  async run(ctx, input: { slug: string; patch: JsonPatch; ifMatch?: string }) {
    const { graph } = ctx.services;
    const current = await accountDetail(graph, input.slug);
    await checkIfMatch(input.ifMatch, current);
    const { organizations, ...fields } = current;
    const next = patchFields(fields, input.patch, READ_ONLY, ServiceAccountWritable);
    const updated = await store.updateServiceAccount(
      graph,
      input.slug,
      next,
      unchangedSince(input.ifMatch, current.updated_at),
    );
    ctx.audit({
      event: "service_account_updated",
      subject: input.slug,
      details: { is_active: updated.is_active },
    });
    return { ...updated, organizations };
  },
});

/**
 * Deletes a service account, its memberships and every credential it has: client credentials,
 * public keys and API keys (revoked, so an account made again under this slug inherits none of
 * them). Its tokens end at once.
 */
export const deleteServiceAccount = defineVerb({
  name: "deleteServiceAccount",
  access: { scope: "global", permission: "service_account:delete" },
  async run(ctx, input: { slug: string }): Promise<void> {
    await store.deleteServiceAccount(ctx.services.graph, input.slug);
    const removed = await creds.deleteServiceAccountCredentials(ctx.services, input.slug);
    const apiKeys = await revokeOwnerApiKeys(
      ctx.services,
      { kind: "service_account", id: input.slug },
      ctx.actor.id,
    );
    ctx.audit({
      event: "service_account_deleted",
      subject: input.slug,
      details: { ...removed, api_keys: apiKeys },
    });
  },
});

const ASSIGN = {
  scope: "custom",
  permissions: ["service_account:update"],
  rule: "service_account:update globally; the role may grant only permissions you hold in that organization",
} as const;

/** Makes a service account a member of an organization with a role (409 when already one). */
export const addServiceAccountMembership = defineVerb({
  name: "addServiceAccountMembership",
  access: ASSIGN,
  async run(ctx, input: { slug: string; organization: string; role: string }, auth) {
    await auth.require("service_account:update", null);
    await assertCanAssign(ctx, input.organization, input.role);
    const m = await store.addServiceAccountMembership(
      ctx.services.graph,
      input.slug,
      input.organization,
      input.role,
    );
    ctx.audit({
      event: "membership_added",
      organization: input.organization,
      subject: input.slug,
      details: { role: input.role, kind: "service_account" },
    });
    return m;
  },
});

/** JSON Patch of a membership's role (412 with a stale If-Match). */
export const updateServiceAccountMembership = defineVerb({
  name: "updateServiceAccountMembership",
  access: ASSIGN,
  async run(ctx, input: { slug: string; org: string; patch: JsonPatch; ifMatch?: string }, auth) {
    await auth.require("service_account:update", null);
    const { graph } = ctx.services;
    const current = await store.getServiceAccountMembership(graph, input.slug, input.org);
    await checkIfMatch(input.ifMatch, current);
    const { role } = patchFields(current, input.patch, MEMBERSHIP_READ_ONLY, MembershipWritable);
    await assertCanAssign(ctx, input.org, role);
    const { membership, previous } = await store.changeServiceAccountRole(
      graph,
      input.slug,
      input.org,
      role,
      unchangedSince(input.ifMatch, current.role),
    );
    ctx.audit({
      event: "membership_changed",
      organization: input.org,
      subject: input.slug,
      details: { old_role: previous, new_role: role, kind: "service_account" },
    });
    return membership;
  },
});

/** Ends a service account's membership of an organization. */
export const deleteServiceAccountMembership = defineVerb({
  name: "deleteServiceAccountMembership",
  access: { scope: "global", permission: "service_account:update" },
  async run(ctx, input: { slug: string; org: string }): Promise<void> {
    await store.removeServiceAccountMembership(ctx.services.graph, input.slug, input.org);
    ctx.audit({
      event: "membership_removed",
      organization: input.org,
      subject: input.slug,
      details: { kind: "service_account" },
    });
  },
});

/** The service accounts holding a role, per organization (like getRole: role:read anywhere). */
export const listRoleServiceAccounts = defineVerb({
  name: "listRoleServiceAccounts",
  access: { scope: "anywhere", permission: "role:read" },
  async run(ctx, input: PageInput & { slug: string }) {
    const { graph } = ctx.services;
    await getRole(graph, input.slug);
    const after = cursorKey(decodeCursor(input.cursor), { s: "string", o: "string" });
    const rows = await store.listServiceAccountsWithRole(graph, input.slug, {
      after: after ? { s: String(after.s), o: String(after.o) } : null,
      limit: input.limit,
    });
    return pageFrom(rows, input.limit, (a) => ({ s: a.slug, o: a.organization }));
  },
});

// ---- Client credentials -------------------------------------------------------

/** Checks a credential's scopes against the catalog (400 naming the unknown ones). */
function assertKnownScopes(scopes: readonly string[]): void {
  const unknown = scopes.filter((p) => !KNOWN.has(p));
  if (unknown.length > 0)
    throw new DomainError(
      "VALIDATION_FAILED",
      `Unknown scope(s): ${unknown.join(", ")}. Scopes are permission names (GET /api/permissions).`,
      [{ location: "json.scopes", message: `unknown: ${unknown.join(", ")}` }],
    );
}

/** The account's client credentials (never their secrets). */
export const listClientCredentials = defineVerb({
  name: "listClientCredentials",
  access: { scope: "global", permission: "service_account:read" },
  async run(ctx, input: { slug: string }): Promise<{ data: creds.ClientCredential[] }> {
    await store.getServiceAccount(ctx.services.graph, input.slug);
    return { data: await creds.listClientCredentials(ctx.services.db, input.slug) };
  },
});

/**
 * Creates a client credential; the secret is in this answer only. Scopes are permission names
 * (empty: everything the account holds), organizations limit where it acts (empty: all of the
 * account's), and it expires after `expires_in_days` (at most IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS,
 * which is also the default).
 */
export const createClientCredential = defineVerb({
  name: "createClientCredential",
  access: { scope: "global", permission: "service_account:update" },
  async run(
    ctx,
    input: {
      slug: string;
      name: string;
      scopes?: string[];
      organizations?: string[];
      expires_in_days?: number;
    },
  ) {
    const { graph, env } = ctx.services;
    await store.getServiceAccount(graph, input.slug);
    const scopes = [...new Set(input.scopes ?? [])];
    assertKnownScopes(scopes);
    const organizations = [...new Set(input.organizations ?? [])];
    for (const org of organizations)
      if (!(await graph.one("MATCH (o:Organization) WHERE o.slug = $org RETURN o.slug", { org })))
        throw new DomainError("VALIDATION_FAILED", `Unknown organization '${org}'.`, [
          { location: "json.organizations", message: `unknown: ${org}` },
        ]);
    const max = env.IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS;
    const days = input.expires_in_days ?? max;
    if (days > max)
      throw new DomainError(
        "VALIDATION_FAILED",
        `expires_in_days must be at most ${max} (IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS).`,
        [{ location: "json.expires_in_days", message: `at most ${max}` }],
      );
    const created = await creds.createClientCredential(ctx.services, {
      serviceAccount: input.slug,
      name: input.name,
      scopes,
      organizations,
      expiresAt: new Date(ctx.now().getTime() + days * 86_400_000),
    });
    ctx.audit({
      event: "client_credential_created",
      subject: input.slug,
      details: { credential: `client_credentials:${created.client_id}`, scopes, organizations },
    });
    return created;
  },
});

/** Revokes a client credential (soft delete): its secret and its tokens stop working at once. */
export const revokeClientCredential = defineVerb({
  name: "revokeClientCredential",
  access: { scope: "global", permission: "service_account:update" },
  async run(ctx, input: { slug: string; clientId: string }): Promise<void> {
    await creds.revokeClientCredential(ctx.services, input.slug, input.clientId);
    ctx.audit({
      event: "client_credential_revoked",
      subject: input.slug,
      details: { credential: `client_credentials:${input.clientId}` },
    });
  },
});

/** A new secret for a credential (same id): the old secret and its tokens stop working at once. */
export const rotateClientCredential = defineVerb({
  name: "rotateClientCredential",
  access: { scope: "global", permission: "service_account:update" },
  async run(ctx, input: { slug: string; clientId: string }) {
    const rotated = await creds.rotateClientCredential(ctx.services, input.slug, input.clientId);
    ctx.audit({
      event: "client_credential_rotated",
      subject: input.slug,
      details: { credential: `client_credentials:${input.clientId}` },
    });
    return rotated;
  },
});

// ---- Public keys (private_key_jwt) ----------------------------------------------

/** The algorithms a registered key may sign assertions with, by key type and curve. */
const KEY_KINDS = [
  { kty: "OKP", crv: "Ed25519", alg: "EdDSA", members: ["x"] },
  { kty: "EC", crv: "P-256", alg: "ES256", members: ["x", "y"] },
] as const;
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

/**
 * Checks a submitted JWK and returns its public part: Ed25519 (EdDSA) or P-256 (ES256) only,
 * never a private key, and an `alg` (when given) that matches the key.
 */
async function publicJwk(jwk: Record<string, unknown>) {
  const bad = (why: string) =>
    new DomainError("VALIDATION_FAILED", `The public key is not acceptable: ${why}.`, [
      { location: "json.jwk", message: why },
    ]);
  if (PRIVATE_MEMBERS.some((m) => m in jwk))
    throw bad("it contains private key material; send only the public key (no `d`)");
  const kind = KEY_KINDS.find((k) => k.kty === jwk.kty && k.crv === jwk.crv);
  if (!kind) throw bad("only OKP/Ed25519 (EdDSA) and EC/P-256 (ES256) keys are accepted");
  if (jwk.alg !== undefined && jwk.alg !== kind.alg && !(kind.alg === "EdDSA" && jwk.alg === "Ed25519"))
    throw bad(`a ${kind.crv} key signs with ${kind.alg}, not ${String(jwk.alg)}`);
  const pub: Record<string, string> = { kty: kind.kty, crv: kind.crv };
  for (const m of kind.members) {
    const v = jwk[m];
    if (typeof v !== "string" || !/^[A-Za-z0-9_-]+$/.test(v)) throw bad(`member "${m}" must be base64url`);
    pub[m] = v;
  }
  try {
    await importJWK({ ...pub }, kind.alg);
  } catch {
    throw bad("it is not a valid point on its curve");
  }
  return { alg: kind.alg, jwk: pub };
}

/** The account's public keys. */
export const listServiceAccountKeys = defineVerb({
  name: "listServiceAccountKeys",
  access: { scope: "global", permission: "service_account:read" },
  async run(ctx, input: { slug: string }): Promise<{ data: creds.ServiceAccountKey[] }> {
    await store.getServiceAccount(ctx.services.graph, input.slug);
    return { data: await creds.listKeys(ctx.services.db, input.slug) };
  },
});

/** Registers a public JWK; its kid is the RFC 7638 thumbprint (409 when registered already). */
export const registerServiceAccountKey = defineVerb({
  name: "registerServiceAccountKey",
  access: { scope: "global", permission: "service_account:update" },
  async run(ctx, input: { slug: string; name: string; jwk: Record<string, unknown> }) {
    await store.getServiceAccount(ctx.services.graph, input.slug);
    const { alg, jwk } = await publicJwk(input.jwk);
    const kid = await calculateJwkThumbprint(jwk);
    const key = await creds.registerKey(ctx.services.db, {
      kid,
      serviceAccount: input.slug,
      name: input.name,
      alg,
      jwk: { ...jwk, kid, alg, use: "sig" },
    });
    ctx.audit({ event: "service_account_key_registered", subject: input.slug, details: { kid, alg } });
    return key;
  },
});

/** Revokes a public key: assertions signed with it are refused and its tokens end at once. */
export const revokeServiceAccountKey = defineVerb({
  name: "revokeServiceAccountKey",
  access: { scope: "global", permission: "service_account:update" },
  async run(ctx, input: { slug: string; kid: string }): Promise<void> {
    await creds.revokeKey(ctx.services, input.slug, input.kid);
    ctx.audit({ event: "service_account_key_revoked", subject: input.slug, details: { kid: input.kid } });
  },
});
