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
 * The OpenAPI document with the live blueprints folded in: `<Type>Attributes` components, the
 * response schemas as `allOf: [<core>, <attributes>]` (the core kept as `<Name>Core`) and the create
 * bodies as one closed object of core fields and attributes, so generated clients and MCP tools see
 * the typed custom attributes of this installation, and nothing the server would refuse.
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
    const attributes = schemas[attrs];
    if (!core || !attributes) continue;
    if (name.startsWith("Create")) {
      schemas[name] = createBody(core as ObjectSchema, attributes as ObjectSchema);
      continue;
    }
    schemas[`${name}Core`] = core;
    schemas[name] = {
      allOf: [{ $ref: `#/components/schemas/${name}Core` }, { $ref: `#/components/schemas/${attrs}` }],
      description: (core as { description?: string }).description,
    };
  }
  return doc;
}

type ObjectSchema = {
  properties?: Record<string, unknown>;
  required?: string[];
  additionalProperties?: unknown;
  description?: string;
};

/**
 * A create body as the server checks it: the core fields and the blueprint attributes side by
 * side in one object, nothing else (unless a blueprint allows more), so a schema-valid body is
 * accepted. An attribute that is not required may be null, which leaves it unset.
 */
function createBody(core: ObjectSchema, attrs: ObjectSchema): ObjectSchema & Record<string, unknown> {
  const required = new Set(attrs.required ?? []);
  const attributes = Object.fromEntries(
    Object.entries(attrs.properties ?? {}).map(([k, p]) => [
      k,
      required.has(k) ? p : { anyOf: [p, { type: "null" }], description: (p as ObjectSchema).description },
    ]),
  );
  const open = attrs.additionalProperties !== undefined && attrs.additionalProperties !== false;
  return {
    type: "object",
    description: core.description,
    properties: { ...attributes, ...core.properties },
    required: [...new Set([...(core.required ?? []), ...required])],
    additionalProperties: open ? attrs.additionalProperties : false,
    ...(open ? { propertyNames: { pattern: "^[a-z_][a-z0-9_]*$" } } : {}),
  };
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
