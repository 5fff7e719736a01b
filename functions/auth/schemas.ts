import { z } from "@hono/zod-openapi";
import { emailAddress } from "../../lib/http/fields.ts";

export const LoginRequestSchema = z
  .object({
    email: emailAddress("The account's email address"),
    password: z
      .string()
      .min(1)
      .max(1024)
      .openapi({ description: "The account's password", example: "correct-Horse-battery-9" }),
  })
  .strict()
  .openapi("LoginRequest");

export const TokenResponseSchema = z
  .object({
    access_token: z
      .string()
      .openapi({ description: "JWT for `Authorization: Bearer`", example: "eyJhbGciOiJIUzI1NiJ9.e30.sig" }),
    refresh_token: z.string().openapi({
      description: "Single-use token for POST /api/auth/token/refresh; also set as the imbi_refresh cookie",
      example: "V1StGXR8_Z5jdHi6B-myT.q4cVnzG3bJ9xXQk0x1sVh8Wc0a2nT5dLr9Ue3yFm6pA",
    }),
    token_type: z.literal("Bearer").openapi({ description: "Always Bearer", example: "Bearer" }),
    expires_in: z
      .number()
      .int()
      .openapi({ description: "Seconds until the access token expires", example: 3600 }),
    refresh_expires_in: z
      .number()
      .int()
      .openapi({ description: "Seconds until the session (refresh token family) expires", example: 2592000 }),
    session_id: z
      .string()
      .openapi({ description: "The session these tokens belong to", example: "ses_V1StGXR8Z5jdHi6BmyT" }),
  })
  .openapi("TokenResponse");

export const RefreshRequestSchema = z
  .object({
    refresh_token: z.string().max(256).optional().openapi({
      description: "The refresh token; when omitted the imbi_refresh cookie is used",
      example: "V1StGXR8_Z5jdHi6B-myT.q4cVnzG3bJ9xXQk0x1sVh8Wc0a2nT5dLr9Ue3yFm6pA",
    }),
  })
  .strict()
  .openapi("RefreshRequest");

export const LogoutQuerySchema = z
  .object({
    revoke_all_sessions: z
      .enum(["true", "false"])
      .optional()
      .openapi({ description: "Also end every other session of this user", example: "false" }),
  })
  .strict();

export const MembershipPermissionsSchema = z
  .object({
    slug: z.string().openapi({ description: "Organization slug", example: "acme" }),
    name: z.string().openapi({ description: "Organization name", example: "Acme Corp" }),
    role: z.string().openapi({ description: "Your role there", example: "developer" }),
    permissions: z.array(z.string()).openapi({
      description: "Effective permissions in this organization",
      example: ["project:read", "project:write"],
    }),
  })
  .openapi("MembershipPermissions");

export const MeSchema = z
  .object({
    email: z.string().openapi({ description: "Your email", example: "ada@example.com" }),
    display_name: z.string().openapi({ description: "Your display name", example: "Ada Lovelace" }),
    is_active: z.boolean().openapi({ description: "Whether the account is active", example: true }),
    is_admin: z
      .boolean()
      .openapi({ description: "Global administrator: every permission everywhere", example: false }),
    created_at: z
      .string()
      .openapi({ description: "When the account was created", example: "2026-01-01T00:00:00.000Z" }),
    updated_at: z
      .string()
      .openapi({ description: "When it last changed", example: "2026-01-02T00:00:00.000Z" }),
    session_id: z
      .string()
      .openapi({ description: "The session of this access token", example: "ses_V1StGXR8Z5jdHi6BmyT" }),
    organizations: z
      .array(MembershipPermissionsSchema)
      .openapi({ description: "Memberships with effective permissions" }),
    global_permissions: z.array(z.string()).openapi({
      description:
        "Permissions on global resources (users, roles, service accounts, blueprints, scoring policies): every " +
        "permission for an administrator, else those of your role in the system organization (IMBI_SYSTEM_ORGANIZATION)",
      example: ["user:read", "service_account:read"],
    }),
  })
  .openapi("Me");

// ---- The OAuth 2.0 token endpoint (RFC 6749 §4.4, RFC 7523 §2.2) ----------------------------

const formField = (description: string, example: string, max = 256) =>
  z.string().max(max).optional().openapi({ description, example });

export const OAuthTokenRequestSchema = z
  .object({
    grant_type: formField(
      "The grant type: `client_credentials` (service accounts), `authorization_code` or `refresh_token` (OAuth clients registered at POST /api/auth/register)",
      "client_credentials",
      64,
    ),
    code: formField(
      "authorization_code: the code from the authorization endpoint's redirect (60 s, single use)",
      "Yp3kq9v0WmZ2c4T8bN1xR6aJ5sD7fG0hK2lQ9wE3rUt",
      256,
    ),
    code_verifier: formField(
      "authorization_code: the PKCE verifier whose S256 hash was the code_challenge (43–128 characters)",
      "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
      128,
    ),
    redirect_uri: formField(
      "authorization_code: the redirect_uri sent to the authorization endpoint",
      "http://127.0.0.1:33418/callback",
      2000,
    ),
    refresh_token: formField(
      "refresh_token: the refresh token of an OAuth grant (rotates: each works once)",
      "ort_V1StGXR8Z5jdHi6BmyT.x7Qm2…",
      512,
    ),
    resource: formField(
      "authorization_code: the RFC 8707 resource, if sent to the authorization endpoint (the MCP server `<origin>/mcp` or the API base)",
      "https://imbi.example.com/mcp",
      2000,
    ),
    scope: formField(
      "Space-separated permission names to limit the token to (granted: requested ∩ the credential's scopes)",
      "project:read project:write",
      4096,
    ),
    client_id: formField(
      "client_secret_post: the client id (`cc_…`). With a client_assertion it may be sent and must equal the assertion's `iss` (the service account's slug)",
      "cc_4f9kq2m8x1z7c3v5b6n0ab",
      128,
    ),
    client_secret: formField(
      "client_secret_post: the client secret",
      "Jx1rM4aQ2b8v0S5n7tK3wY6zP9cE1fH4gL2dU8iO0qR",
      512,
    ),
    client_assertion_type: formField(
      "private_key_jwt: must be `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`",
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      128,
    ),
    client_assertion: formField(
      "private_key_jwt: a JWT signed with a registered key (EdDSA or ES256; header `kid`; `iss` = `sub` = the service account's slug, `aud` = this endpoint's URL, `exp` ≤ 5 minutes ahead, single-use `jti`)",
      "eyJhbGciOiJFZERTQSIsImtpZCI6Ik56YkxzWGg4In0.eyJpc3MiOiJjaS1kZXBsb3llciJ9.c2ln",
      8192,
    ),
  })
  .passthrough()
  .openapi("OAuthTokenRequest", {
    description:
      "Form parameters (application/x-www-form-urlencoded). Authenticate the client with exactly one of: HTTP Basic (client_secret_basic), client_id + client_secret (client_secret_post), or client_assertion (private_key_jwt). Unknown parameters are ignored (RFC 6749 §3.2).",
  });

export const OAuthTokenResponseSchema = z
  .object({
    access_token: z
      .string()
      .openapi({ description: "JWT for `Authorization: Bearer`", example: "eyJhbGciOiJIUzI1NiJ9.e30.sig" }),
    token_type: z.literal("Bearer").openapi({ description: "Always Bearer", example: "Bearer" }),
    expires_in: z.number().int().openapi({
      description: "Seconds until the token expires (never after the credential does)",
      example: 3600,
    }),
    scope: z.string().optional().openapi({
      description:
        "The granted scope, space-separated; enforced on every request. Absent: not limited beyond the account's roles. OAuth grants: OAuth scopes (`imbi`, `catalog:read`, `catalog:write`)",
      example: "project:read",
    }),
    refresh_token: z.string().optional().openapi({
      description:
        "authorization_code and refresh_token grants only: the next refresh token. It works once; presenting a used one revokes the whole grant",
      example: "ort_V1StGXR8Z5jdHi6BmyT.x7Qm2Jk9…",
    }),
  })
  .openapi("OAuthTokenResponse");

export const OAuthErrorSchema = z
  .object({
    error: z
      .enum([
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
        "invalid_target",
        "rate_limited",
      ])
      .openapi({
        description: "RFC 6749 §5.2 error code (`rate_limited`: too many requests)",
        example: "invalid_client",
      }),
    error_description: z.string().openapi({
      description: "What went wrong, for the developer",
      example: "Client authentication failed.",
    }),
  })
  .openapi("OAuthError");

export const WhoAmISchema = z
  .object({
    kind: z
      .enum(["user", "service_account"])
      .openapi({ description: "What kind of principal", example: "service_account" }),
    id: z
      .string()
      .openapi({ description: "A user's email or a service account's slug", example: "ci-deployer" }),
    display_name: z.string().openapi({ description: "Display name", example: "CI deployer" }),
    is_admin: z.boolean().openapi({ description: "Global administrator (users only)", example: false }),
    auth_method: z
      .enum([
        "password",
        "refresh",
        "api_key",
        "client_credentials",
        "private_key_jwt",
        "oauth",
        "webhook",
        "internal",
      ])
      .openapi({ description: "How this request's credential was obtained", example: "client_credentials" }),
    credential_id: z.string().nullable().openapi({
      description: "The credential's id: session id, API key id or client id (never a secret)",
      example: "cc_4f9kq2m8x1z7c3v5b6n0ab",
    }),
    key_id: z
      .string()
      .nullable()
      .openapi({ description: "The public key used (private_key_jwt only)", example: null }),
    scopes: z
      .array(z.string())
      .nullable()
      .openapi({
        description: "The permissions the credential is limited to; null: not limited beyond the roles",
        example: ["project:read"],
      }),
    credential_organizations: z.array(z.string()).nullable().openapi({
      description: "Organizations the credential is limited to; null: all of the principal's",
      example: null,
    }),
    organizations: z
      .array(MembershipPermissionsSchema)
      .openapi({ description: "Per organization: the role and the effective permissions after the scope" }),
  })
  .openapi("WhoAmI");
