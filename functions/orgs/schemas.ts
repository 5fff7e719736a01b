import { z } from "@hono/zod-openapi";
import { slug, UserSchema } from "../../lib/http/fields.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";

const Name = z.string().min(1).max(128).openapi({ description: "Display name", example: "Acme Inc." });
const Description = z
  .string()
  .max(4096)
  .openapi({ description: "What the organization is", example: "Platform engineering" });

export const OrganizationSchema = z
  .object({
    id: z.string().openapi({ description: "Nano-ID", example: "V1StGXR8_Z5jdHi6B-myT" }),
    slug: z.string().openapi({ description: "Unique slug, used in paths", example: "acme" }),
    name: z.string().openapi({ description: "Display name", example: "Acme Inc." }),
    description: z
      .string()
      .openapi({ description: "What the organization is", example: "Platform engineering" }),
    created_at: z
      .string()
      .openapi({ description: "When it was created (ISO 8601)", example: "2024-05-01T12:00:00.000Z" }),
    updated_at: z
      .string()
      .openapi({ description: "When it was last changed (ISO 8601)", example: "2024-05-01T12:00:00.000Z" }),
  })
  .catchall(z.unknown())
  .openapi("Organization", {
    description: "An organization; blueprint attributes appear as extra top-level fields",
  });

export const OrganizationPageSchema = pageOf(OrganizationSchema, "OrganizationPage");

export const CreateOrganizationSchema = z
  .object({
    slug: slug("Unique slug (^[a-z][a-z0-9-]*$, 2..63 characters)", "acme"),
    name: Name,
    description: Description.optional(),
  })
  .catchall(z.unknown())
  .openapi("CreateOrganization", {
    additionalProperties: false,
    description:
      "Blueprint attributes go as extra top-level fields (validated against the Organization blueprints; without one, an unknown field is a 400)",
  });

export const OrgParamSchema = z.object({
  org: slug("Organization slug", "acme").openapi({ param: { in: "path", name: "org" } }),
});

export const MemberSchema = UserSchema.extend({
  role: z.string().openapi({ description: "Role held in this organization", example: "developer" }),
}).openapi("Member");

export const MemberPageSchema = pageOf(MemberSchema, "MemberPage");

export const PageOnlyQuerySchema = PageQuerySchema.strict();
