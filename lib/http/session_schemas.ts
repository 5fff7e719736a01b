import { z } from "@hono/zod-openapi";

// The login sessions' schemas, shared by the route groups that show them: a person's own
// (functions/auth) and an administrator's view of a user's (functions/admin).

export const SessionSchema = z
  .object({
    id: z.string().openapi({
      description: "Id of the session (its refresh-token family)",
      example: "V1StGXR8_Z5jdHi6B-myT",
    }),
    user_agent: z.string().nullable().openapi({
      description: "The browser or client that logged in",
      example: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
    }),
    ip: z
      .string()
      .nullable()
      .openapi({ description: "The address it logged in from", example: "203.0.113.7" }),
    created_at: z
      .string()
      .openapi({ description: "When it logged in (ISO 8601)", example: "2026-12-01T09:00:00.000Z" }),
    last_used_at: z.string().openapi({
      description: "The last login or token refresh (ISO 8601)",
      example: "2026-12-03T14:10:00.000Z",
    }),
    idle_expires_at: z.string().openapi({
      description: "When it ends unless used again (IMBI_AUTH_SESSION_TIMEOUT_SECONDS after the last use)",
      example: "2026-12-04T14:10:00.000Z",
    }),
    expires_at: z.string().openapi({
      description: "When it ends at the latest (the refresh token's lifetime)",
      example: "2026-12-31T09:00:00.000Z",
    }),
    current: z
      .boolean()
      .openapi({ description: "The session of the credential making this request", example: true }),
  })
  .openapi("Session");

export const SessionListSchema = z
  .object({
    data: z.array(SessionSchema).openapi({ description: "Live sessions, most recently used first" }),
  })
  .openapi("SessionList");

export const RevokedCountSchema = z
  .object({ revoked: z.number().int().openapi({ description: "How many sessions were ended", example: 2 }) })
  .openapi("RevokedSessions");

export const SessionParamSchema = z.object({
  session: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      description: "Id of the session",
      example: "V1StGXR8_Z5jdHi6B-myT",
      param: { in: "path", name: "session" },
    }),
});
