import { z } from "@hono/zod-openapi";

export const ClientRegistrationRequestSchema = z
  .object({
    redirect_uris: z
      .array(z.string().max(2000))
      .max(10)
      .optional()
      .openapi({
        description:
          "Required. Redirect URIs (exact match later): https, or http on 127.0.0.1, [::1] or localhost; no fragment",
        example: ["http://127.0.0.1:33418/callback"],
      }),
    client_name: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: "Shown on the consent page", example: "Claude Desktop" }),
    grant_types: z
      .array(z.string().max(64))
      .max(4)
      .optional()
      .openapi({
        description: "⊆ authorization_code, refresh_token (default both)",
        example: ["authorization_code", "refresh_token"],
      }),
    response_types: z
      .array(z.string().max(64))
      .max(2)
      .optional()
      .openapi({ description: "Only `code`", example: ["code"] }),
    token_endpoint_auth_method: z.string().max(64).optional().openapi({
      description: "Only `none`: public clients, protected by PKCE",
      example: "none",
    }),
    client_uri: z
      .string()
      .max(2000)
      .optional()
      .openapi({ description: "The client's home page", example: "https://claude.ai" }),
    software_id: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: "RFC 7591 software_id", example: "claude-desktop" }),
    software_version: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: "RFC 7591 software_version", example: "1.2.3" }),
    scope: z
      .string()
      .max(1000)
      .optional()
      .openapi({ description: "Ignored: scopes are chosen per authorization", example: "imbi" }),
  })
  .passthrough()
  .openapi("ClientRegistrationRequest", {
    description: "RFC 7591 client metadata; unknown fields are ignored.",
  });

export const ClientRegistrationResponseSchema = z
  .object({
    client_id: z
      .string()
      .openapi({ description: "The client id (`oc_…`)", example: "oc_V1StGXR8Z5jdHi6BmyTabc" }),
    client_id_issued_at: z
      .number()
      .int()
      .openapi({ description: "Seconds since the epoch", example: 1767225600 }),
    client_name: z.string().openapi({ description: "Display name", example: "Claude Desktop" }),
    redirect_uris: z
      .array(z.string())
      .openapi({ description: "Registered redirect URIs", example: ["http://127.0.0.1:33418/callback"] }),
    grant_types: z
      .array(z.string())
      .openapi({ description: "Registered grant types", example: ["authorization_code", "refresh_token"] }),
    response_types: z.array(z.string()).openapi({ description: "Always `code`", example: ["code"] }),
    token_endpoint_auth_method: z.literal("none").openapi({ description: "Always `none`", example: "none" }),
  })
  .openapi("ClientRegistrationResponse");

export const RegistrationErrorSchema = z
  .object({
    error: z.enum(["invalid_redirect_uri", "invalid_client_metadata"]).openapi({
      description: "RFC 7591 §3.2.2 error code",
      example: "invalid_redirect_uri",
    }),
    error_description: z
      .string()
      .openapi({ description: "What to fix", example: 'Redirect URI "http://evil.example" must use https.' }),
  })
  .openapi("ClientRegistrationError");

export const OAuthClientSchema = z
  .object({
    client_id: z.string().openapi({ description: "Client id", example: "oc_V1StGXR8Z5jdHi6BmyTabc" }),
    client_name: z.string().openapi({ description: "Display name", example: "Claude Desktop" }),
    redirect_uris: z
      .array(z.string())
      .openapi({ description: "Redirect URIs", example: ["http://127.0.0.1:33418/callback"] }),
    grant_types: z
      .array(z.string())
      .openapi({ description: "Grant types", example: ["authorization_code", "refresh_token"] }),
    client_uri: z.string().nullable().openapi({ description: "Home page", example: null }),
    created_at: z.string().openapi({ description: "Registered at", example: "2026-01-01T00:00:00.000Z" }),
    revoked_at: z
      .string()
      .nullable()
      .openapi({ description: "Revoked at; null while active", example: null }),
  })
  .openapi("OAuthClient");

export const OAuthClientListSchema = z
  .object({
    data: z.array(OAuthClientSchema).openapi({ description: "Clients, newest first (at most 1000)" }),
  })
  .openapi("OAuthClientList");

export const AuthorizationSchema = z
  .object({
    client_id: z.string().openapi({ description: "Client id", example: "oc_V1StGXR8Z5jdHi6BmyTabc" }),
    client_name: z.string().openapi({ description: "Display name", example: "Claude Desktop" }),
    redirect_host: z
      .string()
      .openapi({ description: "Host of its first redirect URI", example: "127.0.0.1:33418" }),
    scopes: z.array(z.string()).openapi({ description: "OAuth scopes consented to", example: ["imbi"] }),
    created_at: z.string().openapi({ description: "First consent", example: "2026-01-01T00:00:00.000Z" }),
    last_used_at: z
      .string()
      .nullable()
      .openapi({ description: "Last authorization without a prompt", example: null }),
  })
  .openapi("OAuthAuthorization");

export const AuthorizationListSchema = z
  .object({ data: z.array(AuthorizationSchema).openapi({ description: "Applications you have authorized" }) })
  .openapi("OAuthAuthorizationList");

export const ClientIdParamSchema = z.object({
  client_id: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      param: { name: "client_id", in: "path" },
      description: "OAuth client id",
      example: "oc_V1StGXR8Z5jdHi6BmyTabc",
    }),
});
