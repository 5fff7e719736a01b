import { z } from "@hono/zod-openapi";
import { PROJECT_SORTS } from "../../lib/catalog/project_query.ts";
import { ProjectFilterQuery, projectRef, slug } from "../../lib/http/fields.ts";
import { schemaKeywords } from "../../lib/http/openapi.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";
import { JsonPatchSchema } from "../../lib/json_patch.ts";

const Ts = (description: string) => z.string().openapi({ description, example: "2024-05-01T12:00:00.000Z" });
const Environments = z.record(z.string(), z.record(z.string(), z.unknown())).openapi({
  description: "DEPLOYED_IN edges by environment slug, with their properties (url, blueprint edge fields)",
  example: { production: { url: "https://payments.example.com" } },
});
const Links = z.record(z.string(), z.string().max(2048)).openapi({
  description: "URLs keyed by link-definition slug",
  example: { github: "https://github.com/acme/payments" },
});
const Identifiers = z
  .record(z.string(), z.string().max(1024))
  .openapi({ description: "External identifiers by key", example: { sentry: "payments-api" } });
const Name = z.string().min(1).max(256).openapi({ description: "Display name", example: "Payments API" });
const Description = z
  .string()
  .max(8192)
  .openapi({ description: "What the project is", example: "Takes payments" });
const TypeSlugs = z
  .array(z.string().min(1).max(63))
  .min(1)
  .max(32)
  .openapi({ description: "Project type slugs (at least one)", example: ["api"] });

export const ProjectSchema = z
  .object({
    id: z.string().openapi({ description: "Nano-ID", example: "V1StGXR8_Z5jdHi6B-myT" }),
    org_id: z.string().openapi({ description: "Owning organization's id", example: "Q3xkT0aZ_Pp1t2u3v4w5x" }),
    slug: z.string().openapi({ description: "Slug, unique in the organization", example: "payments-api" }),
    name: z.string().openapi({ description: "Display name", example: "Payments API" }),
    description: z.string().openapi({ description: "What the project is", example: "Takes payments" }),
    team: z.string().openapi({ description: "Owning team's slug", example: "payments" }),
    project_types: z.array(z.string()).openapi({ description: "Project type slugs", example: ["api"] }),
    environments: Environments,
    links: Links,
    identifiers: Identifiers,
    archived: z.boolean().openapi({ description: "Hidden from default listings", example: false }),
    score: z
      .number()
      .nullable()
      .openapi({
        description:
          "Health score 0..100 from the scoring policies (recomputed in the background after every change; " +
          "null until scored or when no policy applies). Not part of the ETag.",
        example: 72.5,
      }),
    created_at: Ts("When it was created (ISO 8601)"),
    updated_at: Ts("When it was last changed (ISO 8601)"),
  })
  .catchall(z.unknown())
  .openapi("Project", { description: "A project; blueprint attributes appear as extra top-level fields" });

export const ProjectPageSchema = pageOf(ProjectSchema, "ProjectPage");

/** A project as `fields=` returns it: the named fields and `id`. */
export const ProjectFieldsSchema = ProjectSchema.partial().required({ id: true }).openapi("ProjectFields", {
  description: "The fields named in `fields` (and `id`); all of them without it",
});

/** The list's page: whole projects, or the fields asked for. */
export const ProjectListPageSchema = pageOf(z.union([ProjectSchema, ProjectFieldsSchema]), "ProjectListPage");

export const CreateProjectSchema = z
  .object({
    name: Name,
    slug: slug("Slug, unique in the organization (^[a-z][a-z0-9-]*$, 2..63)", "payments-api"),
    description: Description.optional(),
    team: z.string().min(1).max(63).openapi({ description: "Owning team's slug", example: "payments" }),
    project_types: TypeSlugs,
    environments: Environments.optional(),
    links: Links.optional(),
    identifiers: Identifiers.optional(),
  })
  .catchall(z.unknown())
  .openapi("CreateProject", {
    additionalProperties: false,
    description: "Blueprint attributes go as extra top-level fields",
  });

export const OrgParamSchema = z.object({
  org: slug("Organization slug", "acme").openapi({ param: { in: "path", name: "org" } }),
});

export const ProjectParamSchema = OrgParamSchema.extend({ id: projectRef("The project", "id") });
export const EnvParamSchema = ProjectParamSchema.extend({
  env: slug("Environment slug", "production").openapi({ param: { in: "path", name: "env" } }),
});

const Fields = z
  .string()
  .max(1024)
  .regex(/^[a-z_][a-z0-9_]*(,[a-z_][a-z0-9_]*)*$/, "a comma-separated list of field names")
  .optional()
  .openapi({
    description: "Comma-separated fields to return (id is always included)",
    example: "slug,name,team",
  });
export const GetQuerySchema = z
  .object({
    fields: Fields,
    breakdown: z
      .enum(["true", "false"])
      .default("false")
      .openapi({
        description:
          "true adds `score_breakdown`: the score computed now from the live policies, with each policy's contribution " +
          "and the level (as `GET …/projects/{id}/score`)",
        example: "true",
      }),
  })
  .strict();

export const ListQuerySchema = PageQuerySchema.extend({
  ...ProjectFilterQuery,
  sort: z.enum(PROJECT_SORTS).default("slug").openapi({
    description: "Sort order; - for descending. `score` puts unscored projects and the lowest scores first",
    example: "-updated_at",
  }),
  fields: Fields,
}).strict();

export const FacetQuerySchema = z
  .object({
    ...ProjectFilterQuery,
    field: z.string().min(1).max(63).openapi({
      description: "team, project_type, environment, archived or a blueprint attribute",
      example: "team",
    }),
  })
  .strict();

export const FacetSchema = z
  .object({
    value: z.unknown().openapi({ description: "A value of the field", example: "payments" }),
    count: z.number().int().openapi({ description: "Projects with that value", example: 12 }),
  })
  .openapi("Facet");
export const FacetListSchema = z
  .object({ field: z.string().openapi({ example: "team" }), data: z.array(FacetSchema) })
  .openapi("FacetList");

/** A JSON merge object for one environment edge (alternative to a JSON Patch array). */
export const EnvironmentBodySchema = z
  .union([
    JsonPatchSchema,
    // Edge property names are stored as graph properties, so they are attribute names.
    z
      .record(z.string().regex(/^[a-z_][a-z0-9_]*$/, "must match ^[a-z_][a-z0-9_]*$"), z.unknown())
      .openapi(schemaKeywords({ properties: { url: { type: ["string", "null"] } } })),
  ])
  .openapi("EnvironmentPatch", {
    description: "JSON Patch operations, or a merge object (null removes a key)",
    example: { url: "https://payments.example.com" },
  });

export const SearchQuerySchema = z
  .object({
    q: z.string().min(1).max(256).openapi({ description: "Search text", example: "payments" }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(20)
      .openapi({ description: "Hits (1..100)", example: 20 }),
    include_archived: z
      .enum(["true", "false"])
      .default("false")
      .openapi({ description: "Include archived projects", example: "false" }),
  })
  .strict();

export const SearchHitSchema = z
  .object({
    kind: z
      .enum(["project", "team", "project_type"])
      .openapi({ description: "What was found", example: "project" }),
    id: z.string().openapi({ description: "Its id", example: "V1StGXR8_Z5jdHi6B-myT" }),
    slug: z.string().openapi({ description: "Its slug", example: "payments-api" }),
    name: z.string().openapi({ description: "Its name", example: "Payments API" }),
    rank: z.number().openapi({
      description: "Search relevance, higher is better (not the health score, which is `score` on projects)",
      example: 0.9,
    }),
    highlights: z.record(z.string(), z.string()).openapi({
      description: "Matching fields with <mark>…</mark> around hits",
      example: { name: "<mark>Payments</mark> API" },
    }),
  })
  .openapi("SearchHit");
export const SearchResultSchema = z.object({ data: z.array(SearchHitSchema) }).openapi("SearchResult");

export const EffectiveSchemaSchema = z
  .record(z.string(), z.unknown())
  .openapi("ProjectSchemaDocument", { description: "The merged blueprint JSON Schema for this project" });
