// Evaluates condition trees (see condition.ts) against a project and its DEPENDS_ON neighbours.
import type { AttributeCondition, ConditionNode, RelationshipCondition } from "./condition.ts";
import type { ScoringInput, ScoringSubject } from "./engine.ts";
import { compareValues, isMissing, own, valuesEqual } from "./values.ts";

/** What a tree is evaluated on; `neighbours` is absent inside a relationship's `where`. */
interface EvalContext {
  subject: ScoringSubject;
  neighbours?: ScoringInput["neighbours"];
  /** Ids of the neighbours that matched a relationship's `where`, in the order met. */
  matched: Set<string>;
}

/** The outcome of a tree: its truth and the neighbours that matched any relationship's `where`. */
export interface ConditionOutcome {
  result: boolean;
  matched_neighbours: string[];
}

/**
 * Evaluates a (valid) condition tree. Every child is evaluated, without short-circuiting, so the
 * matched neighbours are complete whatever the order of the children.
 */
export function evaluateCondition(
  node: ConditionNode,
  subject: ScoringSubject,
  neighbours: ScoringInput["neighbours"],
): ConditionOutcome {
  const matched = new Set<string>();
  const result = evaluate(node, { subject, neighbours, matched });
  return { result, matched_neighbours: [...matched] };
}

function evaluate(node: ConditionNode, ctx: EvalContext): boolean {
  switch (node.type) {
    case "all":
      return node.conditions.map((c) => evaluate(c, ctx)).every(Boolean);
    case "any":
      return node.conditions.map((c) => evaluate(c, ctx)).some(Boolean);
    case "not":
      return !evaluate(node.condition, ctx);
    case "attribute":
      return testAttribute(node, own(ctx.subject.attributes, node.attribute));
    case "relationship":
      return testRelationship(node, ctx);
  }
}

/** Applies an attribute node's op to the project's value (undefined when the attribute is unset). */
export function testAttribute(node: AttributeCondition, actual: unknown): boolean {
  const { op, value } = node;
  if (op === "present") return !isMissing(actual);
  if (op === "absent") return isMissing(actual);
  if (op === "in") return Array.isArray(value) && value.some((v) => valuesEqual(actual, v));
  if (op === "eq") return valuesEqual(actual, value);
  if (op === "ne") return !valuesEqual(actual, value);
  const c = compareValues(actual, value);
  if (c === null) return false;
  if (op === "gt") return c > 0;
  if (op === "ge") return c >= 0;
  if (op === "lt") return c < 0;
  return c <= 0;
}

function testRelationship(node: RelationshipCondition, ctx: EvalContext): boolean {
  // Inside a `where` there are no neighbours: validation forbids nesting, so this is a safe false.
  if (!ctx.neighbours) return false;
  const all = ctx.neighbours[node.direction];
  const where = node.where;
  const hits = where ? all.filter((n) => evaluate(where, { subject: n, matched: ctx.matched })) : all;
  for (const n of hits) ctx.matched.add(n.id);
  if (node.quantifier === "any") return hits.length > 0;
  if (node.quantifier === "all") return hits.length === all.length;
  return hits.length === 0;
}
