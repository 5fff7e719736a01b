import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import {
  checkPolicy,
  PolicyDocumentSchema,
  type PolicyInput,
  PolicyInputSchema,
  policyAppliesTo,
  ScoringPolicySchema,
  usesRelationships,
} from "./policy.ts";

const attribute = (maps: Record<string, unknown>) => ({
  name: "Coverage",
  category: "attribute",
  attribute_name: "coverage",
  ...maps,
});
const parse = (doc: unknown): PolicyInput => PolicyInputSchema.parse(doc);
/** A document that passed only the shape check: ScoringPolicySchema has no semantic refinement. */
const shapeOnly = (doc: Record<string, unknown>) =>
  ScoringPolicySchema.parse({ slug: "p", created_at: "t", updated_at: "t", ...doc });
const problems = (doc: Record<string, unknown>) => checkPolicy(shapeOnly(doc));
const ranges = (range_score_map: Record<string, number>) => problems(attribute({ range_score_map }));
const ages = (age_score_map: Record<string, number>) =>
  problems({ name: "Age", category: "age", attribute_name: "reviewed", age_score_map });

describe("PolicyInputSchema", () => {
  it("applies the defaults and leaves the slug optional", () => {
    expect(parse({ name: "Owner", category: "presence", attribute_name: "owner" })).toEqual({
      name: "Owner",
      category: "presence",
      attribute_name: "owner",
      description: "",
      weight: 10,
      enabled: true,
      priority: 0,
      targets: [],
      present_score: 100,
      missing_score: 0,
    });
    const dep = parse({ name: "Prod", category: "deployment_status", environment_slug: "prod" });
    expect(dep).toMatchObject({
      status_score_map: { success: 100, in_progress: 100, pending: 100, missing: 100, failed: 0 },
    });
    const cond = parse({
      name: "C",
      category: "condition",
      condition: { type: "attribute", attribute: "a", op: "present" },
    });
    expect(cond).toMatchObject({ true_score: 100, false_score: 0 });
  });

  it("does not share default objects between parses", () => {
    const first = parse({ name: "Prod", category: "deployment_status", environment_slug: "prod" });
    if (first.category === "deployment_status") first.status_score_map.success = 1;
    const second = parse({ name: "Prod", category: "deployment_status", environment_slug: "prod" });
    expect(second).toMatchObject({ status_score_map: { success: 100 } });
  });

  it("rejects unknown keys, unknown categories and out-of-range scores", () => {
    const base = { name: "Owner", category: "presence", attribute_name: "owner" };
    expect(PolicyInputSchema.safeParse({ ...base, value_score_map: {} }).success).toBe(false);
    expect(PolicyInputSchema.safeParse({ ...base, category: "analysis_result" }).success).toBe(false);
    expect(PolicyInputSchema.safeParse({ ...base, present_score: 101 }).success).toBe(false);
    expect(PolicyInputSchema.safeParse({ ...base, weight: 2.5 }).success).toBe(false);
    expect(PolicyInputSchema.safeParse({ ...base, slug: "Has Owner" }).success).toBe(false);
    expect(PolicyInputSchema.safeParse(attribute({ value_score_map: { a: -1 } })).success).toBe(false);
  });

  it("runs the semantic checks, with paths a field error can point at", () => {
    const r = PolicyInputSchema.safeParse(attribute({ range_score_map: { "10..5": 1 } }));
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path)).toEqual([["range_score_map", "10..5"]]);
  });
});

describe("PolicyDocumentSchema", () => {
  it("requires the slug", () => {
    const doc = { name: "Owner", category: "presence", attribute_name: "owner" };
    expect(PolicyDocumentSchema.safeParse(doc).success).toBe(false);
    expect(PolicyDocumentSchema.parse({ ...doc, slug: "owner" }).slug).toBe("owner");
  });

  it("rejects the server-owned timestamps that a patched document must not carry", () => {
    const doc = { slug: "o", name: "O", category: "presence", attribute_name: "owner", created_at: "x" };
    expect(PolicyDocumentSchema.safeParse(doc).success).toBe(false);
  });
});

describe("checkPolicy: attribute maps", () => {
  it("needs exactly one of value_score_map and range_score_map, not empty", () => {
    expect(problems(attribute({}))).toEqual([
      { location: "json.value_score_map", message: expect.any(String) },
    ]);
    expect(problems(attribute({ value_score_map: { a: 1 }, range_score_map: { "0..1": 1 } }))).toEqual([
      { location: "json.range_score_map", message: expect.stringContaining("not both") },
    ]);
    expect(problems(attribute({ value_score_map: {} }))).toHaveLength(1);
    expect(problems(attribute({ range_score_map: {} }))).toHaveLength(1);
    expect(problems(attribute({ value_score_map: { python: 100 } }))).toEqual([]);
  });

  it("accepts disjoint ranges, decimals, negatives and open ends", () => {
    expect(ranges({ "..-0.5": 0, "-0.4..9.99": 10, "10..20": 20, "90..": 100 })).toEqual([]);
  });

  it("rejects malformed, inverted and empty ranges at their key", () => {
    expect(ranges({ "10..5": 1 })).toEqual([
      { location: "json.range_score_map.10..5", message: expect.stringContaining("inverted") },
    ]);
    for (const key of ["5..5", "..", "a..b", "1-5", "1...5", "0..1e3", " 0..1"])
      expect(ranges({ [key]: 1 }).map((p) => p.location)).toEqual([`json.range_score_map.${key}`]);
  });

  it("rejects overlapping ranges, including ranges sharing an endpoint", () => {
    expect(ranges({ "0..10": 1, "10..20": 2 })).toEqual([
      { location: "json.range_score_map.10..20", message: expect.stringContaining("overlaps '0..10'") },
    ]);
    expect(ranges({ "0..100": 1, "10..20": 2, "30..40": 3 }).map((p) => p.location)).toEqual([
      "json.range_score_map.10..20",
      "json.range_score_map.30..40",
    ]);
    expect(ranges({ "..10": 1, "5..": 2 })).toHaveLength(1);
  });
});

describe("checkPolicy: age rules", () => {
  it("accepts every operator and unit", () => {
    expect(ages({ "<30d": 1, "<=1w": 2, "==2h": 3, ">15m": 4, ">=0.5s": 5 })).toEqual([]);
  });

  it("rejects malformed keys and an empty map", () => {
    for (const key of ["30d", "<30", "<30y", "< 30d", "<-1d", "=1d", "<30D", "<d"])
      expect(ages({ "<1d": 1, [key]: 2 })).toEqual([
        { location: `json.age_score_map.${key}`, message: expect.stringContaining("<op><number><unit>") },
      ]);
    expect(ages({})).toEqual([{ location: "json.age_score_map", message: expect.any(String) }]);
  });
});

describe("checkPolicy: conditions", () => {
  it("locates tree problems under json.condition and takes another target", () => {
    const doc = {
      name: "C",
      category: "condition",
      condition: { type: "not", condition: { type: "attribute", attribute: "a", op: "eq" } },
    };
    expect(problems(doc)).toEqual([
      { location: "json.condition.condition.value", message: expect.any(String) },
    ]);
    expect(
      checkPolicy(shapeOnly({ ...doc, condition: { type: "attribute", attribute: "a", op: "in" } }), "body"),
    ).toEqual([{ location: "body.condition.value", message: expect.any(String) }]);
  });
});

describe("usesRelationships and policyAppliesTo", () => {
  const cond = (condition: unknown) => parse({ name: "C", category: "condition", condition });
  const leaf = { type: "attribute", attribute: "a", op: "present" };

  it("detects relationship nodes in condition policies only", () => {
    expect(usesRelationships(cond({ type: "any", conditions: [leaf, { type: "relationship" }] }))).toBe(true);
    expect(usesRelationships(cond(leaf))).toBe(false);
    expect(usesRelationships(parse({ name: "O", category: "presence", attribute_name: "a" }))).toBe(false);
  });

  it("applies enabled policies with no targets or a shared project type", () => {
    const p = (extra: Record<string, unknown>) =>
      parse({ name: "O", category: "presence", attribute_name: "a", ...extra });
    expect(policyAppliesTo(p({}), [])).toBe(true);
    expect(policyAppliesTo(p({ targets: ["api", "cli"] }), ["worker", "cli"])).toBe(true);
    expect(policyAppliesTo(p({ targets: ["api"] }), ["cli"])).toBe(false);
    expect(policyAppliesTo(p({ targets: ["api"] }), [])).toBe(false);
    expect(policyAppliesTo(p({ enabled: false }), ["api"])).toBe(false);
  });
});

describe("OpenAPI", () => {
  it("documents the schemas, the recursive condition as one component", () => {
    const app = new OpenAPIHono();
    const route = createRoute({
      method: "post",
      path: "/policies",
      request: { body: { required: true, content: { "application/json": { schema: PolicyInputSchema } } } },
      responses: {
        200: { description: "ok", content: { "application/json": { schema: ScoringPolicySchema } } },
      },
    });
    app.openapi(route, (c) => c.json({} as never, 200));
    const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } });
    const schemas = doc.components?.schemas ?? {};
    expect(Object.keys(schemas).sort()).toEqual([
      "ScoringAttributeCondition",
      "ScoringCondition",
      "ScoringPolicy",
      "ScoringPolicyInput",
    ]);
    expect(JSON.stringify(schemas.ScoringCondition)).toContain(
      '"$ref":"#/components/schemas/ScoringCondition"',
    );
    expect(JSON.stringify(schemas.ScoringPolicyInput)).toContain("range_score_map");
  });
});
