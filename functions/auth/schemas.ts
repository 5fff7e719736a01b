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
  })
  .openapi("Me");
