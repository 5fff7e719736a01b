import type { Graph } from "../graph/graph.ts";
import { blueprintComponents } from "./components.ts";

type Doc = { components?: { schemas?: Record<string, unknown> } } & Record<string, unknown>;

/** Core API schemas that gain the blueprint attributes of their target label (when it has any). */
const EXTENDED: Record<string, string> = {
  Project: "ProjectAttributes",
  CreateProject: "ProjectAttributes",
  Team: "TeamAttributes",
  CreateTeam: "TeamAttributes",
  Environment: "EnvironmentAttributes",
  CreateEnvironment: "EnvironmentAttributes",
  ProjectType: "ProjectTypeAttributes",
  CreateProjectType: "ProjectTypeAttributes",
  Organization: "OrganizationAttributes",
  CreateOrganization: "OrganizationAttributes",
};

/**
 * The OpenAPI document with the live blueprints folded in: `<Type>Attributes` components, and the
 * project request/response schemas as `allOf: [<core>, <attributes>]` (the core kept as `<Name>Core`),
 * so generated clients and MCP tools see the typed custom attributes of this installation.
 */
export async function withBlueprintSchemas(base: Doc, graph: Graph): Promise<Doc> {
  const { components } = await blueprintComponents(graph);
  const doc = structuredClone(base);
  if (!doc.components) doc.components = {};
  const schemas = doc.components.schemas ?? {};
  doc.components.schemas = schemas;
  for (const [name, schema] of Object.entries(components.schemas))
    if (!(name in schemas)) schemas[name] = schema;
  for (const [name, attrs] of Object.entries(EXTENDED)) {
    const core = schemas[name];
    if (!core || !schemas[attrs]) continue;
    schemas[`${name}Core`] = core;
    schemas[name] = {
      allOf: [{ $ref: `#/components/schemas/${name}Core` }, { $ref: `#/components/schemas/${attrs}` }],
      description: (core as { description?: string }).description,
    };
  }
  return doc;
}

/** A cheap fingerprint of the blueprints: the document is rebuilt only when it changes. */
export async function blueprintFingerprint(graph: Graph): Promise<string> {
  const row = await graph.one<{ n: number; at: string | null }>(
    "MATCH (b:Blueprint) RETURN count(b), max(b.updated_at)",
    {},
    ["n", "at"],
  );
  return `${row?.n ?? 0}:${row?.at ?? ""}`;
}
