// The authorization server's operations, whichever door calls them (the HTTP pages and JSON
// routes in functions/oauth; a CLI could list and revoke clients the same way).

import { and, desc, eq, isNull } from "drizzle-orm";
import { oauthAuthorizations, oauthClients } from "../../schema/tables.ts";
import type { ClientMeta } from "../auth/tokens.ts";
import type { Ctx } from "../core/ctx.ts";
import { enforceRateLimit } from "../core/rate_limit.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { type AuthorizeRequest, withParams } from "./authorize.ts";
import {
  findOAuthClient,
  listOAuthClientRows,
  type OAuthClient,
  type RegistrationRequest,
  validateRegistration,
} from "./clients.ts";
import { issueCode } from "./codes.ts";
import { revokeClientFamilies, revokeUserClientFamilies } from "./tokens.ts";

/** A client as the admin routes and the registration response show it. */
export interface OAuthClientView {
  client_id: string;
  client_name: string;
  redirect_uris: string[];
  grant_types: string[];
  client_uri: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** Maps a row to its view. */
export function clientView(r: OAuthClient): OAuthClientView {
  return {
    client_id: r.clientId,
    client_name: r.clientName,
    redirect_uris: r.redirectUris,
    grant_types: r.grantTypes,
    client_uri: r.clientUri,
    created_at: r.createdAt.toISOString(),
    revoked_at: r.revokedAt?.toISOString() ?? null,
  };
}

/** RFC 7591 dynamic client registration: a public client (PKCE), rate limited per address. */
export const registerOAuthClient = defineVerb({
  name: "registerOAuthClient",
  access: { scope: "public" },
  async run(ctx, input: { metadata: RegistrationRequest; client: ClientMeta }): Promise<OAuthClient> {
    const { env, db } = ctx.services;
    if (!env.IMBI_AUTH_DCR_ENABLED)
      throw new DomainError(
        "FORBIDDEN",
        "Dynamic client registration is disabled (IMBI_AUTH_DCR_ENABLED=false).",
      );
    const spec = env.IMBI_AUTH_RATE_LIMIT_DCR;
    await enforceRateLimit(
      ctx.services,
      `rl:dcr:ip:${input.client.ip}`,
      spec,
      (retry) => `Too many client registrations (limit ${spec}); retry in ${retry} s.`,
    );
    const values = validateRegistration(input.metadata);
    const [row] = await db
      .insert(oauthClients)
      .values({ ...values, createdIp: input.client.ip })
      .returning();
    if (!row) throw new Error("client insert returned nothing");
    ctx.audit({
      event: "oauth_client_registered",
      actor: { kind: "anonymous", id: "", credential: null },
      subject: row.clientId,
      ip: input.client.ip,
      user_agent: input.client.userAgent,
      details: { client_name: row.clientName, redirect_uris: row.redirectUris },
    });
    return row;
  },
});

/** Every registered OAuth client (admins). */
export const listOAuthClients = defineVerb({
  name: "listOAuthClients",
  access: { scope: "global", permission: "oauth_client:read" },
  async run(ctx, _input: Record<string, never>): Promise<OAuthClientView[]> {
    return (await listOAuthClientRows(ctx.services.db)).map(clientView);
  },
});

/** Revokes a client: it can no longer sign anyone in, and every token it holds is refused at once. */
export const revokeOAuthClient = defineVerb({
  name: "revokeOAuthClient",
  access: { scope: "global", permission: "oauth_client:delete" },
  async run(ctx, input: { clientId: string }): Promise<void> {
    const s = ctx.services;
    const row = await findOAuthClient(s.db, input.clientId);
    if (!row) throw new DomainError("NOT_FOUND", `No OAuth client '${input.clientId.slice(0, 64)}'.`);
    if (!row.revokedAt)
      await s.db
        .update(oauthClients)
        .set({ revokedAt: new Date() })
        .where(eq(oauthClients.clientId, row.clientId));
    const families = await revokeClientFamilies(s, row.clientId, "client revoked");
    await s.db.delete(oauthAuthorizations).where(eq(oauthAuthorizations.clientId, row.clientId));
    ctx.audit({
      event: "oauth_client_revoked",
      subject: row.clientId,
      details: { families_revoked: families.length },
    });
  },
});

/** Only a person signed in with a password session may approve an application. */
function requireSessionUser(ctx: Ctx): string {
  const m = ctx.actor.credential.method;
  if (ctx.actor.kind !== "user" || (m !== "password" && m !== "refresh"))
    throw new DomainError(
      "FORBIDDEN",
      "Only a person signed in with a password can authorize an application.",
    );
  return ctx.actor.id;
}

/**
 * The authorization decision for a signed-in user. Without `approve`, a remembered consent that
 * covers the requested scopes answers with a code at once; else `{ consent: true }` (show the
 * page). With `approve: true` the consent is remembered (scopes added) and a code issued; with
 * `false` the client gets `access_denied`.
 */
export const authorizeClient = defineVerb({
  name: "authorizeClient",
  access: { scope: "authenticated" },
  async run(
    ctx,
    input: { request: AuthorizeRequest; approve?: boolean },
  ): Promise<{ redirect: string } | { consent: true }> {
    const email = requireSessionUser(ctx);
    const { db, kv } = ctx.services;
    const r = input.request;
    if (input.approve === false)
      return {
        redirect: withParams(r.redirectUri, {
          error: "access_denied",
          error_description: "The user declined.",
          state: r.state,
        }),
      };
    const [existing] = await db
      .select({ scopes: oauthAuthorizations.scopes })
      .from(oauthAuthorizations)
      .where(
        and(eq(oauthAuthorizations.userEmail, email), eq(oauthAuthorizations.clientId, r.client.clientId)),
      );
    const covered = existing !== undefined && r.scopes.every((sc) => existing.scopes.includes(sc));
    if (!covered && input.approve !== true) return { consent: true };
    if (!covered) {
      const scopes = [...new Set([...(existing?.scopes ?? []), ...r.scopes])].sort();
      await db
        .insert(oauthAuthorizations)
        .values({ userEmail: email, clientId: r.client.clientId, scopes })
        .onConflictDoUpdate({
          target: [oauthAuthorizations.userEmail, oauthAuthorizations.clientId],
          set: { scopes, updatedAt: new Date() },
        });
      ctx.audit({ event: "oauth_consent_granted", subject: r.client.clientId, details: { scopes } });
    } else {
      ctx.background(
        db
          .update(oauthAuthorizations)
          .set({ lastUsedAt: new Date() })
          .where(
            and(
              eq(oauthAuthorizations.userEmail, email),
              eq(oauthAuthorizations.clientId, r.client.clientId),
            ),
          )
          .then(() => undefined),
      );
    }
    const code = await issueCode(kv, {
      clientId: r.client.clientId,
      redirectUri: r.redirectUri,
      codeChallenge: r.codeChallenge,
      email,
      scopes: r.scopes,
      resource: r.resource,
    });
    return { redirect: withParams(r.redirectUri, { code, state: r.state }) };
  },
});

/** One application a user has authorized. */
export interface AuthorizationView {
  client_id: string;
  client_name: string;
  redirect_host: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
}

/** The applications the caller has authorized (consents not revoked, clients not revoked). */
export const listMyAuthorizations = defineVerb({
  name: "listMyAuthorizations",
  access: { scope: "authenticated" },
  async run(ctx, _input: Record<string, never>): Promise<AuthorizationView[]> {
    const rows = await ctx.services.db
      .select({
        clientId: oauthAuthorizations.clientId,
        clientName: oauthClients.clientName,
        redirectUris: oauthClients.redirectUris,
        scopes: oauthAuthorizations.scopes,
        createdAt: oauthAuthorizations.createdAt,
        lastUsedAt: oauthAuthorizations.lastUsedAt,
      })
      .from(oauthAuthorizations)
      .innerJoin(oauthClients, eq(oauthClients.clientId, oauthAuthorizations.clientId))
      .where(and(eq(oauthAuthorizations.userEmail, ctx.actor.id), isNull(oauthClients.revokedAt)))
      .orderBy(desc(oauthAuthorizations.createdAt));
    return rows.map((r) => ({
      client_id: r.clientId,
      client_name: r.clientName,
      redirect_host: new URL(r.redirectUris[0] ?? "about:blank").host,
      scopes: r.scopes,
      created_at: r.createdAt.toISOString(),
      last_used_at: r.lastUsedAt?.toISOString() ?? null,
    }));
  },
});

/** Revokes the caller's consent to a client and every token that client holds for them. */
export const revokeMyAuthorization = defineVerb({
  name: "revokeMyAuthorization",
  access: { scope: "authenticated" },
  async run(ctx, input: { clientId: string }): Promise<void> {
    const s = ctx.services;
    const deleted = await s.db
      .delete(oauthAuthorizations)
      .where(
        and(
          eq(oauthAuthorizations.userEmail, ctx.actor.id),
          eq(oauthAuthorizations.clientId, input.clientId),
        ),
      )
      .returning({ clientId: oauthAuthorizations.clientId });
    const families = await revokeUserClientFamilies(
      s,
      ctx.actor.id,
      input.clientId,
      "authorization revoked by the user",
    );
    if (deleted.length === 0 && families.length === 0)
      throw new DomainError("NOT_FOUND", `You have not authorized '${input.clientId.slice(0, 64)}'.`);
    ctx.audit({
      event: "oauth_authorization_revoked",
      subject: input.clientId,
      details: { families_revoked: families.length },
    });
  },
});
