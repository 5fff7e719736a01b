import { describe, expect, it } from "vitest";
import { type ConditionNode, ConditionSchema, conditionIssues, hasRelationship } from "./condition.ts";
import { evaluateCondition } from "./condition_eval.ts";
import type { ScoringSubject } from "./engine.ts";

const project = (id: string, attributes: Record<string, unknown> = {}): ScoringSubject => ({
  id,
  slug: id,
  name: id,
  team: "core",
  project_types: ["api"],
  links: {},
  environments: {},
  deployments: {},
  attributes,
});
const node = (n: unknown): ConditionNode => ConditionSchema.parse(n);
const NONE = { outgoing: [], incoming: [] };

/** Evaluates a condition on a project with the given attributes and no neighbours. */
const holds = (n: unknown, attributes: Record<string, unknown>) =>
  evaluateCondition(node(n), project("p", attributes), NONE).result;
const attr = (op: string, value?: unknown, attribute = "a") => ({ type: "attribute", attribute, op, value });

/** A chain of `not` nodes `levels` deep ending in an attribute leaf (levels counts the leaf). */
const chain = (levels: number, leaf: unknown = attr("present")): unknown =>
  levels === 1 ? leaf : { type: "not", condition: chain(levels - 1, leaf) };

describe("attribute conditions", () => {
  it("compares eq/ne as values, numbers across types and booleans by their text", () => {
    expect([holds(attr("eq", "py"), { a: "py" }), holds(attr("eq", "py"), { a: "Py" })]).toEqual([
      true,
      false,
    ]);
    expect([holds(attr("eq", 3), { a: "3.0" }), holds(attr("eq", true), { a: true })]).toEqual([true, true]);
    expect([holds(attr("ne", "py"), { a: "go" }), holds(attr("ne", "py"), { a: "py" })]).toEqual([
      true,
      false,
    ]);
    expect([holds(attr("eq", "py"), {}), holds(attr("ne", "py"), {})]).toEqual([false, true]);
  });

  it("orders numbers numerically, not as text", () => {
    expect([holds(attr("gt", 9), { a: 10 }), holds(attr("gt", 9), { a: "10" })]).toEqual([true, true]);
    expect([
      holds(attr("lt", 9), { a: 10 }),
      holds(attr("ge", 10), { a: 10 }),
      holds(attr("le", 9.5), { a: 10 }),
    ]).toEqual([false, true, false]);
  });

  it("orders ISO dates as instants, whatever their precision or offset", () => {
    expect(holds(attr("lt", "2024-01-02"), { a: "2024-01-01T23:59:59Z" })).toBe(true);
    expect(holds(attr("gt", "2024-01-01T12:00:00Z"), { a: "2024-01-01T13:00:00+02:00" })).toBe(false);
    expect(holds(attr("ge", "2024-01-01"), { a: new Date("2024-01-01T00:00:00Z") })).toBe(true);
  });

  it("orders other strings as strings, and is false for missing or non-scalar values", () => {
    expect([holds(attr("lt", "beta"), { a: "alpha" }), holds(attr("gt", "beta"), { a: "alpha" })]).toEqual([
      true,
      false,
    ]);
    expect([holds(attr("gt", 1), {}), holds(attr("le", 1), {}), holds(attr("gt", 1), { a: [5] })]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("treats blank strings and empty collections as absent", () => {
    for (const a of [undefined, null, "", " ", [], {}]) expect(holds(attr("absent"), { a })).toBe(true);
    for (const a of ["x", 0, false, [1], { k: 1 }]) expect(holds(attr("present"), { a })).toBe(true);
    expect(holds(attr("present"), { a: "" })).toBe(false);
  });

  it("tests membership with in", () => {
    expect([holds(attr("in", ["py", 3]), { a: "py" }), holds(attr("in", ["py", 3]), { a: 3 })]).toEqual([
      true,
      true,
    ]);
    expect([holds(attr("in", ["py"]), { a: "go" }), holds(attr("in", ["py"]), {})]).toEqual([false, false]);
  });

  it("does not read inherited properties as attributes", () => {
    expect(holds(attr("present", undefined, "constructor"), {})).toBe(false);
  });
});

describe("all / any / not", () => {
  const yes = attr("eq", 1);
  const no = attr("eq", 2);
  it("combines children", () => {
    const at = (n: unknown) => holds(n, { a: 1 });
    expect([at({ type: "all", conditions: [yes, yes] }), at({ type: "all", conditions: [yes, no] })]).toEqual(
      [true, false],
    );
    expect([at({ type: "any", conditions: [no, yes] }), at({ type: "any", conditions: [no, no] })]).toEqual([
      true,
      false,
    ]);
    expect([at({ type: "not", condition: no }), at({ type: "not", condition: yes })]).toEqual([true, false]);
  });

  it("rejects empty child lists", () => {
    expect(ConditionSchema.safeParse({ type: "all", conditions: [] }).success).toBe(false);
    expect(ConditionSchema.safeParse({ type: "any", conditions: [] }).success).toBe(false);
  });
});

describe("relationship conditions", () => {
  const a = project("a", { archived: false, tier: 1 });
  const b = project("b", { archived: true, tier: 2 });
  const c = project("c", { archived: false, tier: 3 });
  const live = attr("eq", false, "archived");
  const rel = (quantifier: string, extra: Record<string, unknown> = {}) => ({
    type: "relationship",
    edge: "DEPENDS_ON",
    quantifier,
    where: live,
    ...extra,
  });
  const run = (n: unknown, outgoing: ScoringSubject[], incoming: ScoringSubject[] = []) =>
    evaluateCondition(node(n), project("p"), { outgoing, incoming });

  it("applies any/all/none to the neighbours and lists the ones that matched", () => {
    expect(run(rel("any"), [a, b, c])).toEqual({ result: true, matched_neighbours: ["a", "c"] });
    expect(run(rel("all"), [a, b, c])).toEqual({ result: false, matched_neighbours: ["a", "c"] });
    expect(run(rel("all"), [a, c]).result).toBe(true);
    expect(run(rel("none"), [a, b]).result).toBe(false);
    expect(run(rel("none"), [b])).toEqual({ result: true, matched_neighbours: [] });
    expect(run(rel("any"), [b]).result).toBe(false);
  });

  it("with no neighbours: any is false, all and none are true", () => {
    expect([run(rel("any"), []).result, run(rel("all"), []).result, run(rel("none"), []).result]).toEqual([
      false,
      true,
      true,
    ]);
  });

  it("follows the direction (outgoing by default) and matches every neighbour without where", () => {
    expect(run(rel("all", { direction: "incoming" }), [b], [a]).matched_neighbours).toEqual(["a"]);
    expect(run(rel("all"), [b], [a]).result).toBe(false);
    expect(run({ type: "relationship", quantifier: "any" }, [b, c])).toEqual({
      result: true,
      matched_neighbours: ["b", "c"],
    });
  });

  it("collects matches from every relationship node, even past a decided any/all", () => {
    const tree = {
      type: "any",
      conditions: [rel("any"), rel("any", { where: attr("ge", 2, "tier") })],
    };
    expect(run(tree, [a, b, c]).matched_neighbours).toEqual(["a", "c", "b"]);
  });

  it("defaults edge, direction and quantifier", () => {
    expect(node({ type: "relationship" })).toEqual({
      type: "relationship",
      edge: "DEPENDS_ON",
      direction: "outgoing",
      quantifier: "any",
    });
    expect(ConditionSchema.safeParse({ type: "relationship", edge: "OWNS" }).success).toBe(false);
  });
});

describe("conditionIssues", () => {
  it("accepts a leaf at depth 6 and rejects one at depth 7", () => {
    expect(conditionIssues(node(chain(6)))).toEqual([]);
    const issues = conditionIssues(node(chain(7)));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toEqual(["condition", ...Array(6).fill("condition")]);
    expect(issues[0]?.message).toContain("at most 6 levels");
  });

  it("counts a relationship's where as a level", () => {
    const rel = (where: unknown) => ({ type: "relationship", quantifier: "all", where });
    expect(conditionIssues(node(chain(5, rel(attr("present")))))).toEqual([]);
    expect(conditionIssues(node(chain(6, rel(attr("present")))))).toHaveLength(1);
  });

  it("rejects a relationship nested in a relationship's where, at any depth", () => {
    const inner = { type: "relationship", quantifier: "any" };
    const tree = node({
      type: "relationship",
      quantifier: "all",
      where: { type: "all", conditions: [attr("present"), { type: "not", condition: inner }] },
    });
    const issues = conditionIssues(tree);
    expect(issues).toEqual([
      {
        path: ["condition", "where", "conditions", 1, "condition"],
        message: expect.stringContaining("one hop"),
      },
    ]);
    expect(conditionIssues(node({ type: "all", conditions: [inner, inner] }))).toEqual([]);
  });

  it("checks each op's value", () => {
    const msg = (n: unknown) => conditionIssues(node(n)).map((i) => i.message);
    expect(msg(attr("eq"))).toEqual([expect.stringContaining("needs a value")]);
    expect(msg(attr("present", "x"))).toEqual([expect.stringContaining("takes no value")]);
    expect(msg(attr("in", "x"))).toEqual([expect.stringContaining("array")]);
    expect(msg(attr("gt", [1, 2]))).toEqual([expect.stringContaining("use 'in'")]);
    expect([msg(attr("in", ["x"])), msg(attr("absent")), msg(attr("le", "2024-01-01"))]).toEqual([
      [],
      [],
      [],
    ]);
  });
});

describe("hasRelationship", () => {
  it("finds relationship nodes anywhere in the tree", () => {
    expect(hasRelationship(node(chain(4, { type: "relationship" })))).toBe(true);
    expect(hasRelationship(node({ type: "any", conditions: [attr("present"), chain(3)] }))).toBe(false);
  });
});
