// The condition tree of `condition` scoring policies: its schema (recursive, zod v4 getters) and
// the semantic checks zod cannot express (depth, one-hop relationships, operator/value pairs).
// The evaluator lives in condition_eval.ts.
import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

// These schemas document themselves for the OpenAPI document (descriptions, examples, component
// names, the recursive condition as one component). That is zod-to-openapi's extension of zod — a
// documentation library, not HTTP; idempotent, and @hono/zod-openapi applies the same one.
extendZodWithOpenApi(z);

/** Deepest level a node may sit at; the root is level 1. */
export const MAX_CONDITION_DEPTH = 6;

/** An attribute name as blueprints define them (also the core scalars: name, slug, team, …). */
export const AttributeName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z_][a-z0-9_]*$/, "must match ^[a-z_][a-z0-9_]*$");

export const ATTRIBUTE_OPS = ["eq", "ne", "gt", "ge", "lt", "le", "present", "absent", "in"] as const;
export type AttributeOp = (typeof ATTRIBUTE_OPS)[number];

const Scalar = z.union([z.string().max(1024), z.number(), z.boolean()]);

const AllNode = z.strictObject({
  type: z.literal("all").openapi({ description: "True when every child is true" }),
  get conditions(): z.ZodArray<typeof ConditionSchema> {
    return z
      .array(ConditionSchema)
      .min(1)
      .max(50)
      .openapi({ description: "Child conditions (at least one)" });
  },
});

const AnyNode = z.strictObject({
  type: z.literal("any").openapi({ description: "True when at least one child is true" }),
  get conditions(): z.ZodArray<typeof ConditionSchema> {
    return z
      .array(ConditionSchema)
      .min(1)
      .max(50)
      .openapi({ description: "Child conditions (at least one)" });
  },
});

const NotNode = z.strictObject({
  type: z.literal("not").openapi({ description: "Negates its child" }),
  get condition(): typeof ConditionSchema {
    return ConditionSchema;
  },
});

// The operator/value pairing valueIssues() checks, stated in the document as well.
const OP_VALUE = {
  oneOf: [
    { properties: { op: { enum: ["present", "absent"] } }, not: { required: ["value"] } },
    { properties: { op: { const: "in" }, value: { type: "array" } }, required: ["value"] },
    {
      properties: { op: { enum: ["eq", "ne", "gt", "ge", "lt", "le"] }, value: { not: { type: "array" } } },
      required: ["value"],
    },
  ],
} as unknown as Record<string, never>;

const AttributeNode = z
  .strictObject({
    type: z.literal("attribute").openapi({ description: "Tests one attribute of the project" }),
    attribute: AttributeName.openapi({
      description: "Attribute name: a blueprint attribute or a core field (name, slug, team, archived, …)",
      example: "language",
    }),
    op: z.enum(ATTRIBUTE_OPS).openapi({
      description:
        "eq/ne: equal or not (ne is true for a missing attribute); gt/ge/lt/le: numbers compare " +
        "numerically, ISO dates as instants, anything else as strings, and a missing attribute is " +
        "false; present/absent: set or not (blank strings and empty collections are absent; no " +
        "value); in: equal to one of the values in an array",
      example: "eq",
    }),
    value: z
      .union([Scalar, z.array(Scalar).min(1).max(100)])
      .optional()
      .openapi({
        description: "What to compare with: an array for `in`, a scalar otherwise",
        example: "python",
      }),
  })
  .openapi("ScoringAttributeCondition", OP_VALUE);

const RelationshipNode = z.strictObject({
  type: z.literal("relationship").openapi({ description: "Tests the projects one DEPENDS_ON hop away" }),
  edge: z
    .enum(["DEPENDS_ON"])
    .default("DEPENDS_ON")
    .openapi({ description: "Edge type to follow", example: "DEPENDS_ON" }),
  direction: z.enum(["outgoing", "incoming"]).default("outgoing").openapi({
    description: "outgoing: the projects this one depends on; incoming: the projects that depend on it",
    example: "outgoing",
  }),
  quantifier: z
    .enum(["any", "all", "none"])
    .default("any")
    .openapi({
      description:
        "How many neighbours must match `where`: any (false with no neighbours), all or none " +
        "(both true with no neighbours)",
      example: "all",
    }),
  get where(): z.ZodOptional<typeof ConditionSchema> {
    return ConditionSchema.optional().openapi({
      description:
        "Evaluated on each neighbour; it cannot contain a relationship. Omitted: every neighbour matches",
    });
  },
});

/** A node of a condition tree, discriminated by `type`. */
export const ConditionSchema = z
  .discriminatedUnion("type", [AllNode, AnyNode, NotNode, AttributeNode, RelationshipNode])
  .openapi("ScoringCondition", {
    description: `A condition tree; at most ${MAX_CONDITION_DEPTH} levels deep`,
    example: {
      type: "all",
      conditions: [
        { type: "attribute", attribute: "language", op: "in", value: ["python", "typescript"] },
        {
          type: "relationship",
          direction: "outgoing",
          quantifier: "none",
          where: { type: "attribute", attribute: "archived", op: "eq", value: true },
        },
      ],
    },
  });
export type ConditionNode = z.output<typeof ConditionSchema>;
export type AttributeCondition = z.output<typeof AttributeNode>;
export type RelationshipCondition = z.output<typeof RelationshipNode>;

/** A semantic problem at a path inside the policy document. */
export interface PolicyIssue {
  path: (string | number)[];
  message: string;
}

/** The problems of an attribute node's op/value pairing. */
function attributeIssues(node: AttributeCondition, path: (string | number)[]): PolicyIssue[] {
  const at = [...path, "value"];
  if (node.op === "present" || node.op === "absent")
    return node.value === undefined
      ? []
      : [{ path: at, message: `op '${node.op}' takes no value; remove it` }];
  if (node.value === undefined) return [{ path: at, message: `op '${node.op}' needs a value` }];
  if (node.op === "in" && !Array.isArray(node.value))
    return [{ path: at, message: 'op \'in\' needs an array of values, e.g. ["a", "b"]' }];
  if (node.op !== "in" && Array.isArray(node.value))
    return [{ path: at, message: `op '${node.op}' compares with one value; use 'in' for a list` }];
  return [];
}

/**
 * The semantic problems of a condition tree: nodes deeper than {@link MAX_CONDITION_DEPTH}, a
 * relationship inside a relationship's `where`, and op/value mismatches. Paths start at `path`.
 */
export function conditionIssues(
  node: ConditionNode,
  path: (string | number)[] = ["condition"],
  depth = 1,
  inWhere = false,
): PolicyIssue[] {
  if (depth > MAX_CONDITION_DEPTH)
    return [
      {
        path,
        message: `conditions nest at most ${MAX_CONDITION_DEPTH} levels deep and this node is at level ${depth}; flatten the tree`,
      },
    ];
  switch (node.type) {
    case "all":
    case "any":
      return node.conditions.flatMap((c, i) =>
        conditionIssues(c, [...path, "conditions", i], depth + 1, inWhere),
      );
    case "not":
      return conditionIssues(node.condition, [...path, "condition"], depth + 1, inWhere);
    case "attribute":
      return attributeIssues(node, path);
    case "relationship":
      if (inWhere)
        return [
          { path, message: "a relationship's where cannot contain another relationship (one hop only)" },
        ];
      return node.where ? conditionIssues(node.where, [...path, "where"], depth + 1, true) : [];
  }
}

/** True when the tree contains a relationship node (its score depends on the neighbours). */
export function hasRelationship(node: ConditionNode): boolean {
  switch (node.type) {
    case "all":
    case "any":
      return node.conditions.some(hasRelationship);
    case "not":
      return hasRelationship(node.condition);
    case "attribute":
      return false;
    case "relationship":
      return true;
  }
}
