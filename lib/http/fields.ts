import { z } from "@hono/zod-openapi";
import { PROJECT_REF } from "../catalog/projects.ts";
import { schemaKeywords } from "./openapi.ts";

// Schema pieces several route groups share (groups never import each other): slugs, email
// addresses, instants, project references, the project filters, the user component.

const SLUG = /^[a-z][a-z0-9-]*$/;
/** When something happened, as the API writes it. */
export const timestamp = (what: string) =>
  z.string().openapi({ description: `When the ${what} (ISO 8601)`, example: "2024-05-01T12:00:00.000Z" });

/** A slug as used for organizations and roles. */
export const slug = (description: string, example: string) =>
  z.string().min(2).max(63).regex(SLUG, "must match ^[a-z][a-z0-9-]*$").openapi({ description, example });

// zod's email rule (no leading, trailing or doubled dot in the local part; a dotted domain ending in
// 2+ letters), written without look-aheads so the document's `pattern` is the rule itself and JSON
// Schema tools can generate from it; `format: email` alone admits addresses this rejects.
const EMAIL =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** An email address as every route accepts it (format and pattern documented, ≤ 320 characters). */
export const emailAddress = (description: string, example = "ada@example.com") =>
  z
    .string()
    .max(320)
    .regex(EMAIL, "Invalid email address")
    .openapi({ description, example, format: "email" });

/** A user's email, as every user component shows it. */
export const Email = emailAddress("Email address (case-insensitive)");
export const DisplayName = z
  .string()
  .min(1)
  .max(256)
  .openapi({ description: "Name shown in the UI", example: "Ada Lovelace" });

export const UserSchema = z
  .object({
    email: Email,
    display_name: DisplayName,
    is_active: z.boolean().openapi({ description: "Inactive users cannot log in", example: true }),
    is_admin: z
      .boolean()
      .openapi({ description: "Global administrator (every permission everywhere)", example: false }),
    created_at: timestamp("user was created"),
    updated_at: timestamp("user was last changed"),
  })
  .openapi("User");

// Analytics keep instants from 1970 up to (not including) 2100 (ADR 0003). The document states
// both rules: zod's own date-time pattern (seconds required, Z or ±hh:mm) and the year range, so
// a client knows the limits before a 400 tells it. (Within hours of either end, an offset can move
// an instant written as 1970 or 2099 out of range; the check uses the instant.)
const DATE_TIME = z.iso.datetime({ offset: true });

const DATE_TIME_PATTERN = (DATE_TIME as unknown as { _zod: { def: { pattern: RegExp } } })._zod.def.pattern;

/** An instant the analytics stores accept, with its rules in the document (also for score history). */
export const instant = (description: string) =>
  DATE_TIME.refine((s) => {
    const t = Date.parse(s);
    return t >= 0 && t < Date.UTC(2100, 0, 1);
  }, "must be between 1970-01-01 and 2100-01-01").openapi({
    description: `${description}; ISO 8601 with seconds and Z or an offset, 1970..2099`,
    example: "2024-05-01T12:00:00.000Z",
    pattern: DATE_TIME_PATTERN.source,
    ...schemaKeywords({ allOf: [{ pattern: "^(?:19[7-9][0-9]|20[0-9]{2})-" }] }),
  });

/** A project named by its id or its slug (unique in the organization), in a path or query parameter. */
export const projectRef = (description: string, name: string, where: "path" | "query" = "path") =>
  z
    .string()
    .regex(PROJECT_REF, "must be a project id (a 21-character Nano-ID) or a project slug (^[a-z][a-z0-9-]*$)")
    .openapi({
      description: `${description}: its id (Nano-ID) or its slug`,
      example: "payments-api",
      param: { in: where, name },
    });

// `field:op[:value]`. The document states the syntax; the query builder checks it (with messages
// naming the bad part), and whether the field is an attribute here and the value fits its type.
const FilterExpression = z.string().max(512).openapi({
  pattern: "^[a-z_][a-z0-9_]*:(?:(?:eq|ne|in|not_in|lt|lte|gt|gte):.*|(?:exists|not_exists)(?::.*)?)$",
});

/** The project list's filters, shared with the organization graph (`GET …/graph`). */
export const ProjectFilterQuery = {
  team: z.string().max(63).optional().openapi({ description: "Owning team slug", example: "payments" }),
  project_type: z.string().max(63).optional().openapi({ description: "Project type slug", example: "api" }),
  environment: z
    .string()
    .max(63)
    .optional()
    .openapi({ description: "Deployed in this environment", example: "production" }),
  archived: z.enum(["true", "false", "all"]).default("false").openapi({
    description: "false (default) hides archived projects; true shows only them; all shows both",
    example: "false",
  }),
  has_link: z
    .string()
    .max(63)
    .optional()
    .openapi({ description: "Has a link of this link-definition slug", example: "github" }),
  has_identifier: z
    .string()
    .max(63)
    .optional()
    .openapi({ description: "Has an identifier with this key", example: "sentry" }),
  identifier: z
    .string()
    .max(1088)
    .regex(/^[^:]+:.+$/, "must be <source>:<id> with both parts non-empty, e.g. github:123456")
    .optional()
    .openapi({
      description:
        "Has this external identifier: `<source>:<id>`, split at the first colon (the id may contain colons, " +
        "e.g. `gitlab:group:42`); the id is matched exactly, as a string. Finds the projects an external " +
        "system's id belongs to",
      example: "github:123456",
    }),
  filter: z
    .union([FilterExpression, z.array(FilterExpression).max(20)])
    .optional()
    .openapi({
      description:
        "Blueprint attribute filter `field:op[:value]` (repeatable; ops eq, ne, in, not_in, lt, lte, gt, gte, exists, not_exists; `in` values split by |)",
      example: "tier:lte:2",
    }),
};

/** `?cascade=true` on deletes that can remove what depends on the resource. */
export const CascadeQuerySchema = z
  .object({
    cascade: z
      .enum(["true", "false"])
      .optional()
      .openapi({ description: "Also delete what depends on it (see the operation)", example: "true" }),
  })
  .strict();
