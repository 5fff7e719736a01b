import { z } from "@hono/zod-openapi";
import { ProjectFilterQuery, projectRef, slug } from "../../lib/http/fields.ts";

const Org = slug("Organization slug", "acme").openapi({ param: { in: "path", name: "org" } });
const queryBool = (description: string, name: string) =>
  z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .openapi({ description, example: "false", param: { in: "query", name } });
const ProjectIdField = z
  .string()
  .openapi({ description: "Project Nano-ID", example: "V1StGXR8_Z5jdHi6B-myT" });

export const OrgParamSchema = z.object({ org: Org });
export const ProjectParamSchema = z.object({ org: Org, id: projectRef("The project", "id") });
export const RelationshipParamSchema = ProjectParamSchema.extend({
  targetId: projectRef("The project depended on", "targetId"),
});

const Direction = z
  .enum(["downstream", "upstream"])
  .default("downstream")
  .openapi({
    description: "downstream: what the project depends on; upstream: what depends on it",
    example: "downstream",
    param: { in: "query", name: "direction" },
  });
export const DependenciesQuerySchema = z
  .object({
    direction: Direction,
    depth: z.coerce
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .openapi({ description: "Hops to follow (1..10)", example: 2, param: { in: "query", name: "depth" } }),
  })
  .strict();
export const ClosureQuerySchema = z.object({ direction: Direction }).strict();
export const PathQuerySchema = z
  .object({
    from: projectRef("The project the path starts at (it depends on the next one)", "from", "query"),
    to: projectRef("The project the path ends at", "to", "query"),
  })
  .strict();
export const CyclesQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(100)
      .openapi({
        description: "Most cycles to return (1..1000)",
        example: 100,
        param: { in: "query", name: "limit" },
      }),
  })
  .strict();
export const GraphQuerySchema = z
  .object({
    // The same filters as the project list, so a view can show the graph of exactly what it lists.
    ...ProjectFilterQuery,
    include_external: queryBool(
      "Also return edges to projects outside the filter, with those projects flagged external",
      "include_external",
    ),
  })
  .strict();

const refFields = {
  id: ProjectIdField,
  slug: z.string().openapi({ description: "Project slug", example: "billing-api" }),
  name: z.string().openapi({ description: "Project name", example: "Billing API" }),
  archived: z.boolean().openapi({ description: "Whether the project is archived", example: false }),
};
export const ProjectRefSchema = z.object(refFields).openapi("ProjectRef");

const CreatedAt = z.string().nullable().openapi({
  description: "When the dependency was recorded (ISO 8601)",
  example: "2024-05-01T12:00:00.000Z",
});

export const RelationshipSchema = z.object({ ...refFields, created_at: CreatedAt }).openapi("Relationship");

export const RelationshipsSchema = z
  .object({
    outbound: z.array(RelationshipSchema).openapi({ description: "Projects this one depends on, by slug" }),
    inbound: z
      .array(RelationshipSchema)
      .openapi({ description: "Projects that depend on this one, by slug" }),
    counts: z
      .object({
        outbound: z.number().int().openapi({ description: "Number of outbound edges", example: 3 }),
        inbound: z.number().int().openapi({ description: "Number of inbound edges", example: 1 }),
      })
      .openapi({ description: "Edge counts in each direction" }),
  })
  .openapi("Relationships");

export const DependencySchema = z
  .object({
    source: ProjectRefSchema.openapi({ description: "The project that depends on the target" }),
    target: ProjectRefSchema.openapi({ description: "The project depended on" }),
    created_at: z.string().openapi({
      description: "When the dependency was recorded (ISO 8601)",
      example: "2024-05-01T12:00:00.000Z",
    }),
    creates_cycle: z.boolean().openapi({
      description:
        "Whether this dependency closes a cycle (allowed, but usually a modelling mistake; see GET …/graph/cycles)",
      example: false,
    }),
    cycle: z.array(ProjectRefSchema).nullable().openapi({
      description:
        "The cycle this dependency is part of, starting at the source: each project depends on the next, the last on the source; null when there is none",
      example: null,
    }),
  })
  .openapi("Dependency");

export const EdgeSchema = z
  .object({
    source: z
      .string()
      .openapi({ description: "Id of the project that depends", example: "V1StGXR8_Z5jdHi6B-myT" }),
    target: z
      .string()
      .openapi({ description: "Id of the project depended on", example: "3kTMd9Q2v1pLm0nB7xYzA" }),
  })
  .openapi("DependencyEdge");

const Team = z.string().nullable().openapi({ description: "Slug of the owning team", example: "platform" });
const Depth = z
  .number()
  .int()
  .openapi({ description: "Minimum hops from the project (itself: 0)", example: 1 });

export const DependencyNodeSchema = z
  .object({ ...refFields, team: Team, depth: Depth })
  .openapi("DependencyNode");

export const NeighbourhoodSchema = z
  .object({
    nodes: z
      .array(DependencyNodeSchema)
      .openapi({ description: "The project and its neighbours, nearest first" }),
    edges: z.array(EdgeSchema).openapi({ description: "DEPENDS_ON edges among the returned nodes" }),
  })
  .openapi("DependencyNeighbourhood");

export const ClosureSchema = z
  .object({
    nodes: z
      .array(DependencyNodeSchema)
      .openapi({ description: "The project and everything reachable, nearest first" }),
    truncated: z.boolean().openapi({
      description: "True when the closure exceeded the 10,000-node cap and was cut",
      example: false,
    }),
  })
  .openapi("DependencyClosure");

export const PathSchema = z
  .object({
    nodes: z.array(ProjectRefSchema).openapi({ description: "The projects from `from` to `to`, in order" }),
    edges: z.array(EdgeSchema).openapi({ description: "The DEPENDS_ON edges along the path, in order" }),
  })
  .openapi("DependencyPath");

export const CyclesSchema = z
  .object({
    cycles: z
      .array(
        z
          .array(
            z.object({
              id: ProjectIdField,
              slug: z.string().openapi({ description: "Project slug", example: "billing-api" }),
            }),
          )
          .openapi({ description: "Each project depends on the next; the last depends on the first" }),
      )
      .openapi({ description: "Simple cycles, each once (rooted at its smallest id)" }),
    components: z
      .number()
      .int()
      .openapi({ description: "Strongly connected components with more than one project", example: 1 }),
    truncated: z
      .boolean()
      .openapi({ description: "True when more cycles exist than were returned", example: false }),
  })
  .openapi("DependencyCycles");

export const GraphNodeSchema = z
  .object({
    ...refFields,
    team: Team,
    project_types: z
      .array(z.string())
      .openapi({ description: "Slugs of the project's types", example: ["api"] }),
    external: z.boolean().openapi({
      description: "True for a project outside the filter, present for include_external",
      example: false,
    }),
  })
  .openapi("GraphNode");

export const OrgGraphSchema = z
  .object({
    nodes: z.array(GraphNodeSchema).openapi({ description: "Projects, by slug" }),
    edges: z.array(EdgeSchema).openapi({ description: "DEPENDS_ON edges" }),
  })
  .openapi("OrganizationGraph");
