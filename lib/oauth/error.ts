// The token endpoint's error type (RFC 6749 §5.2), in its own module so the grant types of
// lib/oauth and lib/auth/token_verbs.ts can both throw it without importing each other in a cycle.

/** An RFC 6749 §5.2 error code (plus `rate_limited` for 429, an extension per §8.5). */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  /** RFC 8707 §2: the `resource` is not one this server issues tokens for. */
  | "invalid_target"
  | "rate_limited";

/** A token-endpoint error: the door renders it as RFC 6749 §5.2 JSON with this status and headers. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: 400 | 401 | 429 = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = "OAuthError";
  }
}
