// GET /api/auth/authorize's request, checked in the order RFC 6749 §4.1.2.1 requires: the client
// and the redirect URI first — when either is wrong the user sees an error page and is never sent
// anywhere (no open redirect) — then everything else, reported to the client by redirect.
import type { Services } from "../services.ts";
import { findOAuthClient, type OAuthClient } from "./clients.ts";
import { parseScopes } from "./scopes.ts";

/** The resources tokens can be issued for (lib/http/origin.ts `publicBase`). */
export interface Resources {
  mcp: string;
  api: string;
}

/** A valid authorization request. */
export interface AuthorizeRequest {
  client: OAuthClient;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  resource: string;
  codeChallenge: string;
}

/** The outcome of checking one. */
export type AuthorizeCheck =
  | { ok: AuthorizeRequest }
  /** Shown to the user: the client or redirect URI cannot be trusted with a redirect. */
  | { page: string }
  /** Sent back to the client's redirect URI (RFC 6749 §4.1.2.1). */
  | { redirect: string };

const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** The redirect URI with `params` added to its query (existing query parameters are kept). */
export function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** Normalizes a resource URL for comparison (no trailing slash). */
export const normalizeResource = (r: string) => r.replace(/\/+$/, "");

/** Checks an authorization request's parameters. */
export async function checkAuthorizeRequest(
  s: Services,
  q: Record<string, string | undefined>,
  resources: Resources,
): Promise<AuthorizeCheck> {
  const client = q.client_id ? await findOAuthClient(s.db, q.client_id) : undefined;
  if (!client || client.revokedAt)
    return { page: "This application is not registered with Imbi (unknown or revoked client_id)." };
  let redirectUri = q.redirect_uri;
  if (redirectUri === undefined && client.redirectUris.length === 1) redirectUri = client.redirectUris[0];
  if (!redirectUri || !client.redirectUris.includes(redirectUri))
    return { page: "The redirect_uri is not one this application registered; Imbi will not send you there." };
  const fail = (error: string, description: string) => ({
    redirect: withParams(redirectUri, { error, error_description: description, state: q.state }),
  });
  if (q.response_type !== "code") return fail("unsupported_response_type", "response_type must be 'code'.");
  if (!client.grantTypes.includes("authorization_code"))
    return fail("unauthorized_client", "This client did not register the authorization_code grant.");
  if (q.code_challenge_method !== "S256")
    return fail(
      "invalid_request",
      "PKCE is required: code_challenge_method must be 'S256' ('plain' is not accepted).",
    );
  if (!q.code_challenge || !PKCE_CHALLENGE.test(q.code_challenge))
    return fail(
      "invalid_request",
      "code_challenge must be the 43-character BASE64URL SHA-256 of the code verifier.",
    );
  const parsed = parseScopes(q.scope);
  if ("unknown" in parsed)
    return fail("invalid_scope", `Unknown scope(s): ${parsed.unknown.join(" ").slice(0, 200)}.`);
  const allowed = [resources.mcp, resources.api].map(normalizeResource);
  const resource = q.resource === undefined ? resources.mcp : normalizeResource(q.resource);
  if (!allowed.includes(resource)) return fail("invalid_target", `resource must be ${allowed.join(" or ")}.`);
  return {
    ok: {
      client,
      redirectUri,
      state: q.state,
      scopes: parsed.scopes,
      resource,
      codeChallenge: q.code_challenge,
    },
  };
}
