// The token endpoint's grant types for OAuth public clients (RFC 6749 §4.1.3, §6; OAuth 2.1):
// entries of lib/auth/token_verbs.ts's GRANTS table. Public clients authenticate with nothing but
// their client_id; the code is bound to it, the redirect URI, the PKCE challenge and the resource.

import { eq } from "drizzle-orm";
import { oauthFamilies } from "../../schema/tables.ts";
import type { GrantHandler } from "../auth/token_verbs.ts";
import { normalizeResource } from "./authorize.ts";
import { findOAuthClient } from "./clients.ts";
import { recordCodeFamily, redeemCode, s256 } from "./codes.ts";
import { OAuthError } from "./error.ts";
import { constantTimeEqual, revokeFamilies, rotateOAuthRefresh, startFamily } from "./tokens.ts";

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const invalidGrant = (d: string) => new OAuthError("invalid_grant", d);

/** The public client named by `client_id` (no secret; a confidential method is refused). */
async function publicClient(
  ctx: Parameters<GrantHandler>[0],
  params: Record<string, string | undefined>,
  grant: string,
) {
  if (params.client_secret !== undefined || params.client_assertion !== undefined)
    throw new OAuthError(
      "invalid_client",
      "OAuth clients are public: send client_id only (PKCE proves the caller).",
      401,
    );
  const id = params.client_id;
  if (!id) throw new OAuthError("invalid_request", "client_id is required.");
  const client = await findOAuthClient(ctx.services.db, id);
  if (!client || client.revokedAt) throw new OAuthError("invalid_client", "Unknown or revoked client.", 401);
  if (!client.grantTypes.includes(grant))
    throw new OAuthError("unauthorized_client", `This client did not register the ${grant} grant.`);
  return client;
}

/** `grant_type=authorization_code` with PKCE (RFC 7636 S256). */
export const authorizationCodeGrant: GrantHandler = async (ctx, req) => {
  const p = req.params;
  const client = await publicClient(ctx, p, "authorization_code");
  if (!p.code) throw new OAuthError("invalid_request", "code is required.");
  if (!p.code_verifier || !VERIFIER.test(p.code_verifier))
    throw new OAuthError(
      "invalid_request",
      "code_verifier is required: 43–128 characters of [A-Za-z0-9._~-].",
    );
  const kv = ctx.services.kv;
  const redemption = await redeemCode(kv, p.code);
  if ("reused" in redemption) {
    // RFC 6749 §4.1.2: a replayed code revokes what it issued.
    if (redemption.reused.familyId)
      await revokeFamilies(
        ctx.services,
        eq(oauthFamilies.id, redemption.reused.familyId),
        "authorization code reuse",
      );
    ctx.audit({
      event: "token_reuse_detected",
      actor: { kind: "anonymous", id: client.clientId, credential: null },
      subject: redemption.reused.familyId ?? client.clientId,
      ip: req.client.ip,
      user_agent: req.client.userAgent,
      success: false,
      details: { grant_type: "authorization_code" },
    });
    throw invalidGrant("This authorization code was already used; the tokens it issued are revoked.");
  }
  if ("invalid" in redemption) throw invalidGrant("The authorization code is invalid or expired.");
  const { grant, hash } = redemption;
  if (grant.clientId !== client.clientId) throw invalidGrant("The code was issued to another client.");
  if (p.redirect_uri !== grant.redirectUri)
    throw invalidGrant("redirect_uri must be the one sent to the authorization endpoint.");
  if (p.resource !== undefined && normalizeResource(p.resource) !== grant.resource)
    throw new OAuthError("invalid_target", "resource must be the one the code was issued for.");
  if (!constantTimeEqual(await s256(p.code_verifier), grant.codeChallenge))
    throw invalidGrant("The code_verifier does not match the code_challenge (PKCE).");
  const tokens = await startFamily(ctx.services, {
    email: grant.email,
    clientId: client.clientId,
    scopes: grant.scopes,
    resource: grant.resource,
  });
  await recordCodeFamily(kv, hash, tokens.familyId);
  ctx.audit({
    event: "token_issued",
    actor: { kind: "user", id: grant.email, credential: { method: "oauth", clientId: client.clientId } },
    subject: tokens.familyId,
    ip: req.client.ip,
    user_agent: req.client.userAgent,
    details: { grant_type: "authorization_code", scope: tokens.scope, resource: grant.resource },
  });
  const { familyId: _f, ...body } = tokens;
  return body;
};

/** `grant_type=refresh_token`: rotation, bound to the client; reuse revokes the family. */
export const refreshTokenGrant: GrantHandler = async (ctx, req) => {
  const p = req.params;
  const client = await publicClient(ctx, p, "refresh_token");
  if (!p.refresh_token) throw new OAuthError("invalid_request", "refresh_token is required.");
  const result = await rotateOAuthRefresh(ctx.services, p.refresh_token, client.clientId);
  if ("fail" in result) {
    const f = result.fail;
    if (typeof f === "object") {
      ctx.audit({
        event: "token_reuse_detected",
        actor: {
          kind: "user",
          id: f.reused.email,
          credential: { method: "oauth", clientId: client.clientId },
        },
        subject: f.reused.familyId,
        ip: req.client.ip,
        user_agent: req.client.userAgent,
        success: false,
        details: { grant_type: "refresh_token" },
      });
      throw invalidGrant("This refresh token was already used; its grant is revoked. Sign in again.");
    }
    throw invalidGrant(
      f === "revoked" ? "This grant was revoked; sign in again." : "The refresh token is invalid or expired.",
    );
  }
  const { familyId, email, ...body } = result.ok;
  ctx.audit({
    event: "token_refreshed",
    actor: { kind: "user", id: email, credential: { method: "oauth", clientId: client.clientId } },
    subject: familyId,
    ip: req.client.ip,
    user_agent: req.client.userAgent,
    details: { grant_type: "refresh_token" },
  });
  return body;
};
