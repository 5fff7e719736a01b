import { z } from "@hono/zod-openapi";
import { DisplayName, Email, emailAddress, slug, timestamp, UserSchema } from "../../lib/http/fields.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";

const PERMISSION = /^[a-z][a-z_]*(:[a-z][a-z_]*)+$/;
// ---- Users ----------------------------------------------------------------

export const UserOrganizationSchema = z
  .object({
    slug: z.string().openapi({ description: "Organization slug", example: "acme" }),
    name: z.string().openapi({ description: "Organization name", example: "Acme Inc." }),
    role: z.string().openapi({ description: "Role held in that organization", example: "developer" }),
  })
  .openapi("UserOrganization");

export const UserDetailSchema = UserSchema.extend({
  organizations: z
    .array(UserOrganizationSchema)
    .openapi({ description: "Organizations the user belongs to" }),
}).openapi("UserDetail");

export const UserPageSchema = pageOf(UserSchema, "UserPage");

const boolFilter = (description: string) =>
  z.enum(["true", "false"]).optional().openapi({ description, example: "true" });

export const ListUsersQuerySchema = PageQuerySchema.extend({
  is_active: boolFilter("Only active (`true`) or inactive (`false`) users"),
  is_admin: boolFilter("Only administrators (`true`) or non-administrators (`false`)"),
}).strict();

export const CreateUserSchema = z
  .object({
    email: Email,
    display_name: DisplayName,
    password: z.string().max(1024).optional().openapi({
      description: "Initial password; checked against the password policy",
      example: "Corr3ct-Horse!",
    }),
    is_admin: z
      .boolean()
      .optional()
      .openapi({ description: "Make the user a global administrator (default false)", example: false }),
  })
  .strict()
  .openapi("CreateUser");

export const EmailParamSchema = z.object({
  email: emailAddress("The user's email, URL-encoded").openapi({ param: { in: "path", name: "email" } }),
});

export const ChangePasswordSchema = z
  .object({
    current_password: z
      .string()
      .max(1024)
      .optional()
      .openapi({ description: "Required when changing your own password", example: "0ld-Passw0rd!" }),
    new_password: z.string().min(1).max(1024).openapi({
      description: "The new password; checked against the password policy",
      example: "N3w-Passw0rd!",
    }),
  })
  .strict()
  .openapi("ChangePassword");

// ---- Memberships ----------------------------------------------------------

export const MembershipSchema = z
  .object({
    email: Email,
    organization: z.string().openapi({ description: "Organization slug", example: "acme" }),
    role: z.string().openapi({ description: "Role slug held in the organization", example: "developer" }),
    created_at: timestamp("membership was created"),
  })
  .openapi("Membership");

export const AddMembershipSchema = z
  .object({
    organization: slug("Slug of the organization to join", "acme"),
    role: slug("Slug of the role to hold there", "developer"),
  })
  .strict()
  .openapi("AddMembership");

export const MembershipParamSchema = EmailParamSchema.extend({
  org: slug("Organization slug", "acme").openapi({ param: { in: "path", name: "org" } }),
});

// ---- Roles and permissions --------------------------------------------------

const RoleName = z
  .string()
  .min(1)
  .max(128)
  .openapi({ description: "Human-readable name", example: "Release manager" });
const RoleDescription = z
  .string()
  .max(4096)
  .openapi({ description: "What the role is for", example: "Can deploy and manage releases" });
const Priority = z
  .number()
  .int()
  .min(0)
  .max(10_000)
  .openapi({ description: "Higher wins when roles are compared", example: 300 });
const InheritsFrom = slug("Slug of the role whose permissions this role also gets", "readonly")
  .nullable()
  .openapi({ description: "Slug of the role whose permissions this role also gets", example: "readonly" });
const PermissionName = z
  .string()
  .max(128)
  .regex(PERMISSION, "must look like resource:action")
  .openapi({ description: "Permission name (`resource:action`)", example: "project:write" });

export const RoleSchema = z
  .object({
    slug: z.string().openapi({ description: "Unique role slug", example: "release-manager" }),
    name: z.string().openapi({ description: "Human-readable name", example: "Release manager" }),
    description: z.string().openapi({ description: "What the role is for", example: "Can deploy" }),
    priority: z.number().int().openapi({ description: "Higher wins when roles are compared", example: 300 }),
    is_system: z.boolean().openapi({ description: "Seeded roles are immutable", example: false }),
    is_default: z.boolean().openapi({ description: "Assigned when no role is given", example: false }),
    inherits_from: z.string().nullable().openapi({ description: "Parent role slug", example: "readonly" }),
    permissions: z
      .array(z.string())
      .openapi({ description: "Permissions granted directly (not inherited)", example: ["project:write"] }),
    created_at: timestamp("role was created"),
    updated_at: timestamp("role was last changed"),
  })
  .openapi("Role");

export const RolePageSchema = pageOf(RoleSchema, "RolePage");

export const CreateRoleSchema = z
  .object({
    slug: slug("Unique role slug", "release-manager"),
    name: RoleName,
    description: RoleDescription.optional(),
    priority: Priority.optional(),
    inherits_from: InheritsFrom.optional(),
    permissions: z
      .array(PermissionName)
      .max(200)
      .optional()
      .openapi({ description: "Permissions to grant directly", example: ["project:write"] }),
  })
  .strict()
  .openapi("CreateRole");

export const RoleParamSchema = z.object({
  slug: slug("Role slug", "release-manager").openapi({ param: { in: "path", name: "slug" } }),
});

export const GrantPermissionSchema = z
  .object({ permission: PermissionName })
  .strict()
  .openapi("GrantPermission");

export const RolePermissionParamSchema = RoleParamSchema.extend({
  permission: PermissionName.openapi({ param: { in: "path", name: "permission" } }),
});

export const PermissionSchema = z
  .object({
    name: z.string().openapi({ description: "Permission name", example: "project:write" }),
    resource: z.string().openapi({ description: "Resource type", example: "project" }),
    action: z.string().openapi({ description: "Action on the resource", example: "write" }),
  })
  .openapi("Permission");

export const PermissionPageSchema = pageOf(PermissionSchema, "PermissionPage");

export const PageOnlyQuerySchema = PageQuerySchema.strict();
