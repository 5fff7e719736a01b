import { z } from "@hono/zod-openapi";
import { isCalendarDay } from "../../lib/analytics/index.ts";
import { slug, timestamp } from "../../lib/http/fields.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";
import { MAX_ROTATION_GRACE_SECONDS } from "../../lib/identity/api_key_verbs.ts";

const PERMISSION = /^[a-z][a-z_]*(:[a-z][a-z_]*)+$/;
const KEY_ID = /^ik_[0-9a-f]{32}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const KEY_ID_EXAMPLE = "ik_3f9c2a7d41e04b8c9a6e5d7f1b2c3d4e";

const keyId = z
  .string()
  .regex(KEY_ID, "must be ik_ followed by 32 lower-case hex digits")
  .openapi({ description: "The key's id (the part of the key before the secret)", example: KEY_ID_EXAMPLE });

export const ApiKeySchema = z
  .object({
    key_id: keyId,
    owner: z
      .object({
        kind: z
          .enum(["user", "service_account"])
          .openapi({ description: "Whose key it is", example: "service_account" }),
        id: z.string().openapi({
          description: "The owner: a user's email or a service account's slug",
          example: "deploy-bot",
        }),
      })
      .openapi({ description: "The key's owner; the key acts as this principal" }),
    name: z
      .string()
      .openapi({ description: "A name to recognise the key by", example: "GitHub Actions deploys" }),
    description: z.string().openapi({
      description: "What the key is for",
      example: "Records deployments from the release workflow",
    }),
    scopes: z.array(z.string()).openapi({
      description:
        "Permissions the key is limited to; empty means everything its owner holds. The owner's current permissions still apply on every request (owner's ∩ scopes).",
      example: ["operations_log:create", "project:read"],
    }),
    organizations: z
      .array(z.string())
      .nullable()
      .openapi({
        description:
          "Organizations (slugs) the key works in; null means every organization its owner belongs to",
        example: ["acme"],
      }),
    expires_at: timestamp("key stops working"),
    created_at: timestamp("key was created"),
    created_by: z
      .string()
      .openapi({ description: "Who created it (email or service-account slug)", example: "ada@example.com" }),
    last_used_at: timestamp("key last authenticated a request (updated at most once a minute)").nullable(),
    last_rotated_at: timestamp("key's secret was last rotated").nullable(),
    previous_secret_expires_at: timestamp(
      "previous secret stops working after a rotation with a grace period; null when it already has",
    ).nullable(),
    revoked_at: timestamp("key was revoked").nullable(),
    status: z
      .enum(["active", "expired", "revoked"])
      .openapi({ description: "Whether the key can authenticate now", example: "active" }),
  })
  .openapi("ApiKey");

export const ApiKeyWithSecretSchema = ApiKeySchema.extend({
  key: z.string().openapi({
    description:
      "The whole key, `ik_<id>_<secret>`: send it as `Authorization: Bearer <key>`. Shown only in this answer; Imbi stores a keyed hash of the secret, not the secret.",
    example: `${KEY_ID_EXAMPLE}_q3Xv0mW8bR2tYk5nHc7JpL1sDf9GaZe4uQwEiOx6TyM`,
  }),
}).openapi("ApiKeyWithSecret");

export const ApiKeyPageSchema = pageOf(ApiKeySchema, "ApiKeyPage");

export const ListApiKeysQuerySchema = PageQuerySchema.strict();

export const CreateApiKeySchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(128)
      .openapi({ description: "A name to recognise the key by", example: "CI deploys" }),
    description: z.string().max(1024).optional().openapi({
      description: "What the key is for (default empty)",
      example: "Records deployments from CI",
    }),
    scopes: z
      .array(z.string().max(128).regex(PERMISSION, "must be a permission name like project:read"))
      .max(200)
      .optional()
      .openapi({
        description:
          "Permissions to limit the key to (names from GET /api/permissions). Each must be held by the owner in the named organizations (or in any, when none are named) and by the credential you call with; otherwise 403 names them. Empty or absent: everything the owner holds (your own credential's scopes when you call with a scoped key).",
        example: ["operations_log:create", "project:read"],
      }),
    organizations: z
      .array(slug("Organization slug", "acme"))
      .min(1)
      .max(100)
      .nullable()
      .optional()
      .openapi({
        description:
          "Organizations (slugs) the key works in; each must be one its owner belongs to (400 otherwise). Absent or null: all of the owner's.",
        example: ["acme"],
      }),
    expires_in_days: z.number().int().min(1).optional().openapi({
      description:
        "Days until the key expires, at most IMBI_AUTH_API_KEY_MAX_LIFETIME_DAYS (365 by default; 400 beyond it). Absent: that maximum. Keys never live forever.",
      example: 90,
    }),
  })
  .strict()
  .openapi("CreateApiKey");

export const RotateApiKeySchema = z
  .object({
    grace_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_ROTATION_GRACE_SECONDS)
      .optional()
      .openapi({
        description: `Seconds the previous secret keeps working, to roll the new one out (0, the default: it stops at once; at most ${MAX_ROTATION_GRACE_SECONDS}, one day)`,
        example: 3600,
      }),
  })
  .strict()
  .openapi("RotateApiKey");

export const KeyParamSchema = z.object({
  key_id: keyId.openapi({ param: { in: "path", name: "key_id" } }),
});

export const AccountParamSchema = z.object({
  slug: slug("The service account's slug", "deploy-bot").openapi({ param: { in: "path", name: "slug" } }),
});

export const AccountKeyParamSchema = AccountParamSchema.extend(KeyParamSchema.shape);

const day = (description: string, example: string) =>
  z
    .string()
    .regex(DAY, "must be a day, YYYY-MM-DD")
    .refine(isCalendarDay, "must be an existing calendar day")
    .optional()
    .openapi({ description, example });

export const UsageQuerySchema = z
  .object({
    from: day("First day (UTC, inclusive); default 29 days before `to`", "2026-11-01"),
    to: day("Last day (UTC, inclusive); default today. At most 366 days after `from`", "2026-11-30"),
  })
  .strict();

export const ApiKeyUsageSchema = z
  .object({
    key_id: keyId,
    from: z
      .string()
      .openapi({ description: "First day of the window (UTC, inclusive)", example: "2026-11-01" }),
    to: z.string().openapi({ description: "Last day of the window (UTC, inclusive)", example: "2026-11-30" }),
    data: z
      .array(
        z.object({
          day: z.string().openapi({ description: "UTC day", example: "2026-11-02" }),
          route: z.string().openapi({
            description: "The operation's path template, as in the OpenAPI document (never the raw URL)",
            example: "/api/organizations/{org}/projects/{id}",
          }),
          method: z.string().openapi({ description: "HTTP method", example: "GET" }),
          status: z.number().int().openapi({ description: "Response status", example: 200 }),
          requests: z.number().int().openapi({ description: "Requests on that day", example: 42 }),
        }),
      )
      .openapi({ description: "Counts per day, route, method and status; days without requests are absent" }),
  })
  .openapi("ApiKeyUsage");
