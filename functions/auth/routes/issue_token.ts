import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { issueToken, OAuthError } from "../../../lib/auth/token_verbs.ts";
import { apiPrefix } from "../../../lib/env.ts";
import type { AppEnv } from "../../../lib/http/app.ts";
import { clientMeta } from "../../../lib/http/client.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { OAuthErrorSchema, OAuthTokenRequestSchema, OAuthTokenResponseSchema } from "../schemas.ts";

// Errors here are RFC 6749 §5.2 JSON ({error, error_description}), not problem+json: OAuth client
// libraries read that shape and the RFC requires it. A body that is not a form at all is still a
// 415 problem, like every route (the media-type guard runs before the operation).

const oauthError = (description: string) => ({
  description,
  content: { "application/json": { schema: OAuthErrorSchema } },
});

export const route = createRoute({
  operationId: "issueToken",
  method: "post",
  path: "/auth/token",
  tags: ["auth"],
  summary: "OAuth 2.0 token endpoint (client credentials, authorization code, refresh token)",
  description:
    "RFC 6749 §4.4 `grant_type=client_credentials` for service accounts. Client authentication: " +
    "`client_secret_basic` (HTTP Basic with the form-encoded client id and secret), `client_secret_post`, or " +
    "`private_key_jwt` (RFC 7523: a JWT signed with a registered key; the client id of a key-based client is the " +
    "service account's slug). The granted scope is requested ∩ the credential's and is enforced on every request " +
    "made with the token. No refresh token (§4.4.3). Limited per client address and per client id " +
    "(`IMBI_AUTH_RATE_LIMIT_TOKEN`). Errors are RFC 6749 §5.2 JSON, not problem+json.\n\n" +
    "OAuth public clients (registered at `POST /api/auth/register`, issue 11) use `grant_type=authorization_code` " +
    "with `client_id`, `code`, `redirect_uri`, `code_verifier` (PKCE S256) and optionally `resource`, then " +
    "`grant_type=refresh_token` with `client_id` and `refresh_token` (rotation; reuse revokes the grant). Their access " +
    "tokens are bound to the RFC 8707 resource (`aud`): the MCP server by default, or the API base.",
  ...verbAccess(issueToken),
  request: {
    body: {
      description: "Form parameters",
      required: true,
      content: { "application/x-www-form-urlencoded": { schema: OAuthTokenRequestSchema } },
    },
  },
  responses: {
    200: {
      description: "Issued",
      headers: {
        "Cache-Control": {
          description: "Always `no-store` (RFC 6749 §5.1)",
          schema: { type: "string", example: "no-store" },
        },
      },
      content: { "application/json": { schema: OAuthTokenResponseSchema } },
    },
    400: oauthError("invalid_request, invalid_scope or unsupported_grant_type"),
    401: {
      ...oauthError("invalid_client: client authentication failed (one answer for every reason)"),
      headers: {
        "WWW-Authenticate": {
          description: '`Basic realm="imbi"` when HTTP Basic was used or no client authentication was sent',
          schema: { type: "string", example: 'Basic realm="imbi", charset="UTF-8"' },
        },
      },
    },
    429: {
      ...oauthError("rate_limited: too many requests from this address or for this client id"),
      headers: {
        "Retry-After": { description: "Seconds to wait", schema: { type: "integer", example: 42 } },
      },
    },
  },
});

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

/** RFC 6749 §5.2 error body with its status and headers. */
function renderOAuthError(c: Context<AppEnv>, e: OAuthError) {
  return c.json({ error: e.error, error_description: e.description }, e.status, {
    ...NO_STORE,
    ...e.headers,
  });
}

/** The URLs an assertion's `aud` may name: this endpoint as reached, and under IMBI_API_URL when absolute. */
function audiences(c: Context<AppEnv>): string[] {
  const url = new URL(c.req.url);
  const here = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  const configured = c.env.IMBI_API_URL;
  return /^https?:\/\//.test(configured)
    ? [here, `${configured.replace(/\/+$/, "")}/auth/token`]
    : [here, `${url.origin}${apiPrefix(c.env)}/auth/token`];
}

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const params: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(c.req.valid("form"))) if (typeof v === "string") params[k] = v;
  try {
    const token = await issueToken(ctxOf(c), {
      params,
      authorization: c.req.header("Authorization"),
      client: clientMeta(c),
      audiences: audiences(c),
    });
    return c.json(token, 200, NO_STORE);
  } catch (e) {
    if (e instanceof OAuthError) return renderOAuthError(c, e) as never;
    throw e;
  }
};

/** Validation failures of the form are `invalid_request` (§5.2), not problem+json. */
export const hook = (
  result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } },
  c: Context<AppEnv>,
) => {
  if (!result.success)
    return renderOAuthError(
      c,
      new OAuthError(
        "invalid_request",
        `Malformed request: ${(result.error?.issues ?? []).map((i) => `${i.path.map(String).join(".")}: ${i.message}`).join("; ")}`,
      ),
    );
};
