// One entry for every bearer credential, whichever door received it: what the credential proves
// (its owner, how it was obtained, the limits it carries), before the owner is loaded. The HTTP
// door (lib/http/auth.ts) then loads the owner and their role in the path's organization in one
// statement; an MCP or webhook door will call the same function.
import type { CredentialGrant } from "../core/actor.ts";
import { API_KEY_PREFIX, authenticateApiKey } from "../identity/api_keys.ts";
import { isOAuthAccessToken, verifyOAuthAccessToken } from "../oauth/tokens.ts";
import type { Services } from "../services.ts";
import { isServiceAccountToken, verifyServiceAccountToken } from "./service_account_tokens.ts";
import { verifyAccessToken } from "./tokens.ts";

/** What the door expects of a bearer credential. */
export interface BearerOptions {
  /**
   * The RFC 8707 resource(s) this door serves: an OAuth access token is accepted only when its
   * `aud` is one of them (the MCP door passes its resource URL, REST routes the API base). Absent:
   * OAuth tokens are refused. Other credentials are not audience-bound.
   */
  audience?: string | readonly string[];
}

/**
 * Verifies a bearer credential: an `ik_…` API key, or an access token Imbi signed (a login
 * session's, or a service account's from `POST /api/auth/token`). Throws 401 problems that never
 * say which part was wrong beyond what the caller can fix (no oracle for key ids or secrets).
 */
export async function authenticateBearer(
  s: Services,
  token: string,
  opts: BearerOptions = {},
): Promise<CredentialGrant> {
  if (token.startsWith(API_KEY_PREFIX)) return authenticateApiKey(s, token);
  // An OAuth client's token (issue 11): only for the resource it was issued for (RFC 8707 `aud`).
  if (isOAuthAccessToken(token)) return verifyOAuthAccessToken(s, token, opts.audience);
  // A service account's token: its scope and the credential behind it are checked on every request.
  if (isServiceAccountToken(token)) return verifyServiceAccountToken(s, token);
  const claims = await verifyAccessToken(s, token);
  return {
    kind: "user",
    id: claims.email,
    credential: { method: claims.method, sessionId: claims.sessionId },
    scopes: null,
    organizations: null,
  };
}
