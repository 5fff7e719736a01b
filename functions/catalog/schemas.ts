import { z } from "@hono/zod-openapi";
import { UrlTemplate as UrlTemplateRule } from "../../lib/catalog/link_definitions.ts";
import { emailAddress, slug, UserSchema } from "../../lib/http/fields.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";

// ---- Shared fields --------------------------------------------------------

const timestamp = (what: string) =>
  z.string().openapi({ description: `When the ${what} (ISO 8601)`, example: "2024-05-01T12:00:00.000Z" });
const Id = z.string().openapi({ description: "Nano-ID", example: "V1StGXR8_Z5jdHi6B-myT" });
const OrgId = z
  .string()
  .openapi({ description: "Nano-ID of the organization it belongs to", example: "Uakgb_J5m9g-0JDMbcJqL" });
const name = (example: string) =>
  z.string().min(1).max(128).openapi({ description: "Display name", example });
const description = (example: string) =>
  z.string().max(4096).openapi({ description: "What it is for (free text)", example });
const flag = (description: string, example: boolean) => z.boolean().openapi({ description, example });
const pathSlug = (param: string, what: string, example: string) =>
  slug(`Slug of the ${what}`, example).openapi({ param: { in: "path", name: param } });

const OrgSlugParam = pathSlug("org", "organization", "acme");

export const OrgParamSchema = z.object({ org: OrgSlugParam });

/** Deletes that take no query parameters (an unknown one is a 400). */
export const NoQuerySchema = z.object({}).strict();

export const PageOnlyQuerySchema = PageQuerySchema.strict();

// ---- Teams ----------------------------------------------------------------

const TeamName = name("Platform Engineering");
const TeamDescription = description("Owns the deployment pipeline");

export const TeamSchema = z
  .object({
    id: Id,
    org_id: OrgId,
    slug: z.string().openapi({ description: "Slug, unique in the organization", example: "platform" }),
    name: TeamName,
    description: TeamDescription,
    created_at: timestamp("team was created"),
    updated_at: timestamp("team was last changed"),
  })
  .catchall(z.unknown())
  .openapi("Team", { description: "Blueprint attributes appear as extra top-level fields" });

export const TeamPageSchema = pageOf(TeamSchema, "TeamPage");

export const CreateTeamSchema = z
  .object({
    slug: slug("Slug, unique in the organization (^[a-z][a-z0-9-]*$, 2..63)", "platform"),
    name: TeamName,
    description: TeamDescription.optional(),
  })
  .catchall(z.unknown())
  .openapi("CreateTeam", {
    additionalProperties: false,
    description:
      "Blueprint attributes go as extra top-level fields (validated against the Team blueprints; without one, an unknown field is a 400)",
  });

export const ListTeamsQuerySchema = PageQuerySchema.extend({
  q: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .openapi({ description: "Only teams whose name contains this (case-insensitive)", example: "plat" }),
}).strict();

export const TeamParamSchema = z.object({ org: OrgSlugParam, team: pathSlug("team", "team", "platform") });

export const TeamMemberSchema = UserSchema.extend({
  added_at: timestamp("user was added to the team"),
}).openapi("TeamMember");

export const TeamMemberPageSchema = pageOf(TeamMemberSchema, "TeamMemberPage");

export const AddTeamMemberSchema = z
  .object({
    email: emailAddress("Email of an existing user who is a member of the organization"),
  })
  .strict()
  .openapi("AddTeamMember");

export const TeamMemberParamSchema = TeamParamSchema.extend({
  email: emailAddress("Email of the member").openapi({ param: { in: "path", name: "email" } }),
});

export const TeamProjectSchema = z
  .object({
    id: Id,
    slug: z.string().openapi({ description: "Project slug", example: "billing-api" }),
    name: z.string().openapi({ description: "Project name", example: "Billing API" }),
    archived: flag("Whether the project is archived", false),
  })
  .openapi("TeamProject");

export const TeamProjectPageSchema = pageOf(TeamProjectSchema, "TeamProjectPage");

// ---- Environments ---------------------------------------------------------

const EnvironmentName = name("Production");
const EnvironmentDescription = description("Customer-facing production");
const SortOrder = z
  .number()
  .int()
  .min(-1_000_000)
  .max(1_000_000)
  .openapi({ description: "Position in lists (ascending, then by slug)", example: 30 });
const LabelColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "must be a #rrggbb colour")
  .nullable()
  .openapi({ description: "Colour of the environment's label (#rrggbb), or null", example: "#d32f2f" });
const CanDeploy = flag("Whether projects can be deployed to it", true);
const CanPromote = flag("Whether releases can be promoted from it", false);

export const EnvironmentSchema = z
  .object({
    id: Id,
    org_id: OrgId,
    slug: z.string().openapi({ description: "Slug, unique in the organization", example: "production" }),
    name: EnvironmentName,
    description: EnvironmentDescription,
    sort_order: SortOrder,
    label_color: LabelColor,
    can_deploy: CanDeploy,
    can_promote: CanPromote,
    created_at: timestamp("environment was created"),
    updated_at: timestamp("environment was last changed"),
  })
  .catchall(z.unknown())
  .openapi("Environment", { description: "Blueprint attributes appear as extra top-level fields" });

export const EnvironmentPageSchema = pageOf(EnvironmentSchema, "EnvironmentPage");

export const CreateEnvironmentSchema = z
  .object({
    slug: slug("Slug, unique in the organization (^[a-z][a-z0-9-]*$, 2..63)", "production"),
    name: EnvironmentName,
    description: EnvironmentDescription.optional(),
    sort_order: SortOrder.optional(),
    label_color: LabelColor.optional(),
    can_deploy: CanDeploy.optional(),
    can_promote: CanPromote.optional(),
  })
  .catchall(z.unknown())
  .openapi("CreateEnvironment", {
    additionalProperties: false,
    description:
      "Blueprint attributes go as extra top-level fields (validated against the Environment blueprints; without one, an unknown field is a 400)",
  });

export const EnvironmentParamSchema = z.object({
  org: OrgSlugParam,
  environment: pathSlug("environment", "environment", "production"),
});

// ---- Project types --------------------------------------------------------

const ProjectTypeName = name("HTTP API");
const ProjectTypeDescription = description("Services answering HTTP requests");
const Deployable = flag("Whether projects of this type are deployed to environments", true);
const Releasable = flag("Whether projects of this type publish releases (e.g. libraries)", false);

export const ProjectTypeSchema = z
  .object({
    id: Id,
    org_id: OrgId,
    slug: z.string().openapi({ description: "Slug, unique in the organization", example: "http-api" }),
    name: ProjectTypeName,
    description: ProjectTypeDescription,
    deployable: Deployable,
    releasable: Releasable,
    created_at: timestamp("project type was created"),
    updated_at: timestamp("project type was last changed"),
  })
  .catchall(z.unknown())
  .openapi("ProjectType", { description: "Blueprint attributes appear as extra top-level fields" });

export const ProjectTypePageSchema = pageOf(ProjectTypeSchema, "ProjectTypePage");

export const CreateProjectTypeSchema = z
  .object({
    slug: slug("Slug, unique in the organization (^[a-z][a-z0-9-]*$, 2..63)", "http-api"),
    name: ProjectTypeName,
    description: ProjectTypeDescription.optional(),
    deployable: Deployable.optional(),
    releasable: Releasable.optional(),
  })
  .catchall(z.unknown())
  .openapi("CreateProjectType", {
    additionalProperties: false,
    description:
      "Blueprint attributes go as extra top-level fields (validated against the ProjectType blueprints; without one, an unknown field is a 400)",
  });

export const ProjectTypeParamSchema = z.object({
  org: OrgSlugParam,
  project_type: pathSlug("project_type", "project type", "http-api"),
});

// ---- Link definitions -----------------------------------------------------

const LinkName = name("GitHub repository");
const LinkDescription = description("Where the source code lives");
// The rule is the domain's plain zod (link definitions' patches check it too). zod 4 adds .openapi()
// only to schemas built after @hono/zod-openapi loaded, so its documentation goes through .meta().
const UrlTemplate = UrlTemplateRule.meta({
  description:
    "URL with placeholders filled from the project: {slug}, {name}, {id}, {org} or {identifiers.<key>}",
  example: "https://github.com/acme/{slug}",
});

export const LinkDefinitionSchema = z
  .object({
    id: Id,
    org_id: OrgId,
    slug: z.string().openapi({
      description: "Slug, unique in the organization; the key in project links",
      example: "github",
    }),
    name: LinkName,
    description: LinkDescription,
    url_template: z
      .string()
      .openapi({ description: "URL template", example: "https://github.com/acme/{slug}" }),
    created_at: timestamp("link definition was created"),
    updated_at: timestamp("link definition was last changed"),
  })
  .openapi("LinkDefinition");

export const LinkDefinitionPageSchema = pageOf(LinkDefinitionSchema, "LinkDefinitionPage");

export const CreateLinkDefinitionSchema = z
  .object({
    slug: slug("Slug, unique in the organization; the key in project links", "github"),
    name: LinkName,
    description: LinkDescription.optional(),
    url_template: UrlTemplate,
  })
  .strict()
  .openapi("CreateLinkDefinition");

export const LinkDefinitionParamSchema = z.object({
  org: OrgSlugParam,
  link_definition: pathSlug("link_definition", "link definition", "github"),
});
