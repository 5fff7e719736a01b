import { z } from "@hono/zod-openapi";
import { ATTRIBUTE_NAME, RESERVED_ATTRIBUTES } from "../../lib/blueprints/check_schema.ts";
import { NODE_TYPES } from "../../lib/blueprints/effective.ts";
import { slug } from "../../lib/http/fields.ts";
import { schemaKeywords } from "../../lib/http/openapi.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";
import { EDGE_TYPES } from "../../schema/graph/index.ts";

const timestamp = (what: string) =>
  z.string().openapi({
    description: `When the blueprint was ${what} (ISO 8601)`,
    example: "2024-05-01T12:00:00.000Z",
  });

const NodeType = z
  .enum(NODE_TYPES)
  .openapi({ description: "Target label of a node blueprint", example: "Project" });
const Edge = z
  .enum(EDGE_TYPES)
  .openapi({ description: "Edge type of a relationship blueprint", example: "DEPLOYED_IN" });
const Kind = z
  .enum(["node", "relationship"])
  .openapi({ description: "What the blueprint extends", example: "node" });
const Name = z
  .string()
  .min(1)
  .max(128)
  .openapi({ description: "Display name", example: "Service attributes" });
const Description = z
  .string()
  .max(4096)
  .openapi({ description: "What the blueprint adds", example: "Attributes every HTTP service has" });
const Priority = z
  .number()
  .int()
  .min(-1_000_000)
  .max(1_000_000)
  .openapi({ description: "Higher wins when two blueprints define the same property", example: 10 });
const Enabled = z.boolean().openapi({ description: "Disabled blueprints are ignored", example: true });
const SlugList = (what: string) =>
  z
    .array(
      z
        .string()
        .min(1)
        .max(63)
        .regex(/^[a-z][a-z0-9-]*$/, "must match ^[a-z][a-z0-9-]*$"),
    )
    .max(100)
    .openapi({ description: `${what} slugs it applies to; empty = all`, example: ["http-api"] });

export const FilterSchema = z
  .object({
    project_types: SlugList("Project type").default([]),
    environments: SlugList("Environment").default([]),
  })
  .strict()
  .openapi("BlueprintFilter", { description: "Which projects (or edges) the blueprint applies to" });

// A sub-schema as the blueprint checker accepts it (lib/blueprints/check_schema.ts), one level
// deep: known keywords have the right JSON types; deeper levels are checked at run time.
const SubSchema = { type: ["object", "boolean"] };
const INSTANCE_TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"];
const AttributeSchema = {
  type: ["object", "boolean"],
  properties: {
    type: { anyOf: [{ enum: INSTANCE_TYPES }, { type: "array", items: { enum: INSTANCE_TYPES } }] },
    pattern: { type: "string", format: "regex" },
    required: { type: "array", items: { type: "string" } },
    enum: { type: "array" },
    $ref: { type: "string", pattern: "^#/\\$defs/" },
    ...Object.fromEntries(
      ["items", "contains", "not", "if", "then", "else", "additionalProperties", "unevaluatedProperties"]
        .concat(["unevaluatedItems", "propertyNames", "additionalItems"])
        .map((k) => [k, SubSchema]),
    ),
    ...Object.fromEntries(
      ["allOf", "anyOf", "oneOf", "prefixItems"].map((k) => [k, { type: "array", items: SubSchema }]),
    ),
    ...Object.fromEntries(
      ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"].map((k) => [
        k,
        { type: "object", additionalProperties: SubSchema },
      ]),
    ),
  },
};

export const JsonSchemaDocument = z.record(z.string(), z.unknown()).openapi("BlueprintJsonSchema", {
  ...schemaKeywords({
    // What checkBlueprintSchema enforces, as far as JSON Schema can say it: an object schema whose
    // top level holds only keywords that merge property by property, and attribute names that are
    // not core fields. `required` naming only defined properties and each `default` passing its
    // own schema are checked at run time.
    type: "object",
    required: ["type", "properties"],
    properties: {
      $schema: { const: "https://json-schema.org/draft/2020-12/schema" },
      $comment: { type: "string" },
      title: { type: "string" },
      description: { type: "string" },
      type: { const: "object" },
      properties: {
        type: "object",
        propertyNames: { pattern: ATTRIBUTE_NAME.source, not: { enum: [...RESERVED_ATTRIBUTES] } },
        additionalProperties: AttributeSchema,
      },
      required: { type: "array", items: { type: "string" } },
      additionalProperties: SubSchema,
      $defs: { type: "object", additionalProperties: SubSchema },
      examples: { type: "array" },
    },
    patternProperties: { "^x-": {} },
    additionalProperties: false,
  }),
  description:
    'A JSON Schema (draft 2020-12) object schema: `type: "object"` and `properties`; property names match ' +
    "^[a-z_][a-z0-9_]*$ and are not core field names. Also checked, beyond what this schema states: " +
    "`required` names only defined properties, each property's `default` passes its own schema, and " +
    "nested sub-schemas are valid JSON Schema all the way down.",
  example: {
    type: "object",
    properties: { tier: { type: "integer", minimum: 1, default: 3 } },
    required: ["tier"],
  },
});

export const BlueprintSchema = z
  .object({
    id: z.string().openapi({ description: "Nano-ID", example: "V1StGXR8_Z5jdHi6B-myT" }),
    slug: z.string().openapi({ description: "Unique slug (globally)", example: "service-attributes" }),
    name: Name,
    description: Description,
    kind: Kind,
    type: NodeType.nullable().openapi({ description: "Target label (node kind); null for relationships" }),
    source: NodeType.nullable().openapi({ description: "Edge source label (relationship kind)" }),
    edge: Edge.nullable(),
    target: NodeType.nullable().openapi({ description: "Edge target label (relationship kind)" }),
    filter: FilterSchema,
    priority: Priority,
    enabled: Enabled,
    schema: JsonSchemaDocument,
    created_at: timestamp("created"),
    updated_at: timestamp("last changed"),
  })
  .openapi("Blueprint");

export const BlueprintPageSchema = pageOf(BlueprintSchema, "BlueprintPage");

export const CreateBlueprintSchema = z
  .object({
    slug: slug(
      "Unique slug (^[a-z][a-z0-9-]*$); derived from the name when absent",
      "service-attributes",
    ).optional(),
    name: Name,
    description: Description.optional(),
    kind: Kind,
    type: NodeType.optional(),
    source: NodeType.optional(),
    edge: Edge.optional(),
    target: NodeType.optional(),
    filter: FilterSchema.optional(),
    priority: Priority.optional(),
    enabled: Enabled.optional(),
    schema: JsonSchemaDocument,
  })
  .strict()
  .openapi("CreateBlueprint", {
    example: {
      slug: "service-attributes",
      name: "Service attributes",
      kind: "node",
      type: "Project",
      priority: 10,
      schema: {
        type: "object",
        properties: { tier: { type: "integer", minimum: 1, maximum: 4, default: 3 } },
        required: ["tier"],
      },
    },
    // checkShape() in lib/blueprints/blueprints.ts: a node blueprint names its `type`, a
    // relationship blueprint its source, edge and target, and neither has the other's fields.
    oneOf: [
      {
        properties: { kind: { const: "node" } },
        required: ["type"],
        not: { anyOf: [{ required: ["source"] }, { required: ["edge"] }, { required: ["target"] }] },
      },
      {
        properties: { kind: { const: "relationship" } },
        required: ["source", "edge", "target"],
        not: { required: ["type"] },
      },
    ],
  });

const TypeKey = z.enum([...NODE_TYPES, "relationship"]);

export const BlueprintParamSchema = z.object({
  type: TypeKey.openapi({
    description: "Target label, or `relationship` for edge blueprints",
    example: "Project",
    param: { in: "path", name: "type" },
  }),
  slug: slug("Blueprint slug", "service-attributes").openapi({ param: { in: "path", name: "slug" } }),
});

export const ListBlueprintsQuerySchema = PageQuerySchema.extend({
  kind: Kind.optional(),
  type: TypeKey.optional().openapi({ description: "Target label, or `relationship`", example: "Project" }),
  enabled: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "Only enabled or disabled", example: "true" }),
}).strict();

const csv = (what: string) =>
  z
    .string()
    .max(4096)
    .optional()
    .openapi({ description: `Comma-separated ${what} slugs of the context`, example: "http-api,worker" });

export const EffectiveQuerySchema = z
  .object({
    type: NodeType.optional().openapi({ description: "Target label (node blueprints)", example: "Project" }),
    source: NodeType.optional().openapi({ description: "Edge source label (relationship blueprints)" }),
    edge: Edge.optional(),
    target: NodeType.optional().openapi({ description: "Edge target label (relationship blueprints)" }),
    project_types: csv("project type"),
    environments: csv("environment"),
  })
  .strict();

export const EffectiveSchemaSchema = z.record(z.string(), z.unknown()).openapi("EffectiveSchema", {
  description:
    "The merged object JSON Schema; `x-imbi-blueprints` lists the merged slugs, lowest priority first",
  example: {
    type: "object",
    properties: { tier: { type: "integer" } },
    required: [],
    "x-imbi-blueprints": ["svc"],
  },
});

export const ComponentsSchema = z
  .object({
    components: z.object({
      schemas: z.record(z.string(), z.unknown()).openapi({
        description:
          "`<Type>Attributes` per node label and `<source>_<target>_<edge>EdgeProperties` per relationship",
      }),
    }),
  })
  .openapi("BlueprintComponents");

const FieldErrorSchema = z.object({
  location: z.string().openapi({ description: "Failing attribute", example: "json.tier" }),
  message: z.string().openapi({ description: "Why it fails", example: "is required" }),
});

export const ImpactSchema = z
  .object({
    total_checked: z.number().int().openapi({ description: "Projects checked on this page", example: 120 }),
    failing: z
      .array(
        z.object({
          id: z.string().openapi({ description: "Project Nano-ID", example: "V1StGXR8_Z5jdHi6B-myT" }),
          org: z.string().openapi({ description: "Organization slug", example: "acme" }),
          slug: z.string().openapi({ description: "Project slug", example: "billing-api" }),
          errors: z.array(FieldErrorSchema),
        }),
      )
      .openapi({ description: "Projects that would fail the schema" }),
    next_cursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` to continue the scan; null when done", example: null }),
  })
  .openapi("BlueprintImpact");

export const ImpactQuerySchema = PageQuerySchema.strict();

export const ProposedSchemaBodySchema = z
  .object({ schema: JsonSchemaDocument })
  .strict()
  .openapi("ProposedBlueprintSchema");
