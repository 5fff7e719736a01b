import { describe, expect, it } from "vitest";
import { levelFor, type ScoringInput, type ScoringSubject, scoreProject } from "./engine.ts";
import { PolicyDocumentSchema, type ScoringPolicy } from "./policy.ts";

const NOW = new Date("2024-06-01T00:00:00Z");
const TS = "2024-01-01T00:00:00.000Z";

const subject = (over: Partial<ScoringSubject> = {}): ScoringSubject => ({
  id: "p1",
  slug: "p1",
  name: "P1",
  team: "core",
  project_types: ["api"],
  links: {},
  environments: {},
  deployments: {},
  attributes: {},
  ...over,
});

const policy = (doc: Record<string, unknown>): ScoringPolicy => ({
  ...PolicyDocumentSchema.parse({ slug: "pol", name: "Policy", ...doc }),
  created_at: TS,
  updated_at: TS,
});

const input = (project: Partial<ScoringSubject> = {}, over: Partial<ScoringInput> = {}): ScoringInput => ({
  project: subject(project),
  knownAttributes: null,
  neighbours: { outgoing: [], incoming: [] },
  ...over,
});

/** The single breakdown line of one policy scored against one project. */
const line = (doc: Record<string, unknown>, project: Partial<ScoringSubject> = {}) => {
  const r = scoreProject(input(project), [policy(doc)], { now: NOW });
  expect(r.breakdown.skipped).toEqual([]);
  expect(r.breakdown.policies).toHaveLength(1);
  return r.breakdown.policies[0]!;
};

describe("attribute policies", () => {
  const values = (value_score_map: Record<string, number>) => ({
    category: "attribute",
    attribute_name: "lang",
    value_score_map,
  });
  const ranges = (range_score_map: Record<string, number>) => ({
    category: "attribute",
    attribute_name: "cov",
    range_score_map,
  });

  it("maps exact string values and reports unmapped ones with a note", () => {
    expect(line(values({ python: 90, perl: 20 }), { attributes: { lang: "perl" } })).toMatchObject({
      value: "perl",
      mapped_score: 20,
    });
    const miss = line(values({ python: 90 }), { attributes: { lang: "Python" } });
    expect(miss).toMatchObject({ value: "Python", mapped_score: null, contribution: 0 });
    expect(miss.note).toContain("not in value_score_map");
  });

  it('keys booleans as "true"/"false" and numbers by String()', () => {
    expect(line(values({ true: 100, false: 10 }), { attributes: { lang: false } }).mapped_score).toBe(10);
    expect(line(values({ true: 100, false: 10 }), { attributes: { lang: true } }).mapped_score).toBe(100);
    expect(line(values({ "3": 70, "2.5": 40 }), { attributes: { lang: 2.5 } }).mapped_score).toBe(40);
    expect(line(values({ "3": 70 }), { attributes: { lang: 3 } }).mapped_score).toBe(70);
  });

  it("maps a missing attribute to null, and never reads the prototype", () => {
    expect(line(values({ python: 90 }))).toMatchObject({ value: null, mapped_score: null });
    expect(line(values({ x: 1 }), { attributes: { lang: "constructor" } }).mapped_score).toBeNull();
  });

  it("maps numbers into inclusive ranges, open ends included", () => {
    const map = { "..9.99": 0, "10..50": 50, "50.5..": 100 };
    const at = (cov: unknown) => line(ranges(map), { attributes: { cov } }).mapped_score;
    expect([at(-1e9), at(9.99), at(10), at(50), at(50.5), at(1e9)]).toEqual([0, 0, 50, 50, 100, 100]);
    expect(at("20")).toBe(50);
    expect(at(50.2)).toBeNull();
    expect(at("high")).toBeNull();
    expect(at(true)).toBeNull();
  });
});

describe("presence and link_presence policies", () => {
  const presence = { category: "presence", attribute_name: "owner", present_score: 90, missing_score: 5 };

  it("scores set values as present, and blank strings and empty collections as missing", () => {
    for (const owner of ["ada", 0, false, ["x"], { a: 1 }])
      expect(line(presence, { attributes: { owner } }).mapped_score).toBe(90);
    for (const owner of [undefined, null, "", "   ", [], {}])
      expect(line(presence, { attributes: { owner } }).mapped_score).toBe(5);
  });

  it("defaults to 100 present and 0 missing", () => {
    const doc = { category: "presence", attribute_name: "owner" };
    expect(line(doc, { attributes: { owner: "x" } }).mapped_score).toBe(100);
    expect(line(doc).mapped_score).toBe(0);
  });

  it("checks the project's link by slug, blank URLs counting as missing", () => {
    const doc = { category: "link_presence", link_slug: "repo" };
    expect(line(doc, { links: { repo: "https://git/x" } })).toMatchObject({
      value: "https://git/x",
      mapped_score: 100,
    });
    expect(line(doc, { links: { repo: " " } }).mapped_score).toBe(0);
    expect(line(doc, { links: { docs: "https://d" } })).toMatchObject({ value: null, mapped_score: 0 });
  });
});

describe("age policies", () => {
  const age = (age_score_map: Record<string, number>) => ({
    category: "age",
    attribute_name: "reviewed",
    age_score_map,
  });
  const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

  it("lets the first matching rule win, in the map's order", () => {
    const at = (map: Record<string, number>, d: number) =>
      line(age(map), { attributes: { reviewed: daysAgo(d) } }).mapped_score;
    expect(at({ "<30d": 100, "<90d": 50, ">=90d": 0 }, 10)).toBe(100);
    expect(at({ "<90d": 50, "<30d": 100, ">=90d": 0 }, 10)).toBe(50);
    expect(at({ "<30d": 100, "<90d": 50, ">=90d": 0 }, 45)).toBe(50);
    expect(at({ "<30d": 100, "<90d": 50, ">=90d": 0 }, 90)).toBe(0);
  });

  it("parses every unit, and == holds for the whole unit", () => {
    const at = (key: string, seconds: number) =>
      line(age({ [key]: 1 }), {
        attributes: { reviewed: new Date(NOW.getTime() - seconds * 1000).toISOString() },
      }).mapped_score;
    expect([at("<=90s", 90), at("<90s", 90)]).toEqual([1, null]);
    expect([at("<2m", 119), at("<2m", 120)]).toEqual([1, null]);
    expect([at(">1h", 3601), at(">1h", 3600)]).toEqual([1, null]);
    expect([at(">=1w", 604_800), at(">=1w", 604_799)]).toEqual([1, null]);
    expect([at("==1d", 86_400), at("==1d", 172_799), at("==1d", 172_800), at("==1d", 86_399)]).toEqual([
      1,
      1,
      null,
      null,
    ]);
    expect(at("<1.5d", 129_599)).toBe(1);
  });

  it("reads date-only values as UTC midnight, and leaves unparseable or missing dates unmapped", () => {
    expect(line(age({ "==31d": 7 }), { attributes: { reviewed: "2024-05-01" } }).mapped_score).toBe(7);
    const bad = line(age({ "<30d": 100 }), { attributes: { reviewed: "last week" } });
    expect(bad).toMatchObject({ value: "last week", mapped_score: null });
    expect(bad.note).toContain("ISO 8601");
    expect(line(age({ "<30d": 100 })).mapped_score).toBeNull();
    expect(line(age({ "<30d": 100 }), { attributes: { reviewed: daysAgo(31) } }).mapped_score).toBeNull();
  });
});

describe("deployment_status policies", () => {
  const doc = (status_score_map?: Record<string, number>) => ({
    category: "deployment_status",
    environment_slug: "prod",
    ...(status_score_map ? { status_score_map } : {}),
  });
  // The latest deployment's status per environment (what lib/scoring/subjects.ts loads).
  const at = (d: Record<string, unknown>, deployments: ScoringSubject["deployments"]) =>
    line(d, { deployments });

  it("uses the defaults: success/in_progress/pending/missing 100, failed 0", () => {
    for (const status of ["success", "in_progress", "pending"])
      expect(at(doc(), { prod: status }).mapped_score).toBe(100);
    expect(at(doc(), { prod: "failed" }).mapped_score).toBe(0);
    expect(at(doc(), {}).mapped_score).toBe(100);
  });

  it("merges a partial map over the defaults and scores a missing edge or status as missing", () => {
    const d = doc({ missing: 20, pending: 60 });
    expect(at(d, { prod: "pending" }).mapped_score).toBe(60);
    expect(at(d, { prod: "success" }).mapped_score).toBe(100);
    expect(at(d, { prod: "failed" }).mapped_score).toBe(0);
    expect(at(d, { staging: "success" })).toMatchObject({ value: null, mapped_score: 20 });
    expect(at(d, { prod: "" }).mapped_score).toBe(20);
  });

  it("scores a status the map does not know as missing, with a note", () => {
    const r = at(doc({ missing: 30 }), { prod: "rolled_back" });
    expect(r).toMatchObject({ value: "rolled_back", mapped_score: 30 });
    expect(r.note).toContain("not in status_score_map");
    expect(at(doc({ rolled_back: 40 }), { prod: "rolled_back" }).mapped_score).toBe(40);
  });
});

describe("scoreProject", () => {
  const presence = (slug: string, weight: number, extra: Record<string, unknown> = {}) =>
    policy({ slug, weight, category: "presence", attribute_name: "owner", ...extra });

  it("computes the weighted average: 30/70 with 100/50 → 65", () => {
    const a = policy({ slug: "a", weight: 30, category: "presence", attribute_name: "owner" });
    const b = policy({
      slug: "b",
      weight: 70,
      category: "presence",
      attribute_name: "owner",
      present_score: 50,
    });
    const r = scoreProject(input({ attributes: { owner: "ada" } }), [b, a], { now: NOW });
    expect(r.score).toBe(65);
    expect(r.breakdown.total_weight).toBe(100);
    expect(r.breakdown.policies.map((p) => [p.policy, p.mapped_score, p.contribution])).toEqual([
      ["a", 100, 30],
      ["b", 50, 35],
    ]);
  });

  it("counts unmapped values as 0, rounds to 2 decimals, and scores total weight 0 as 0", () => {
    const mapped = presence("a", 1);
    const unmapped = policy({
      slug: "b",
      weight: 2,
      category: "attribute",
      attribute_name: "x",
      value_score_map: { y: 100 },
    });
    expect(scoreProject(input({ attributes: { owner: "o" } }), [mapped, unmapped], { now: NOW }).score).toBe(
      33.33,
    );
    const r = scoreProject(input({ attributes: { owner: "o" } }), [presence("z", 0)], { now: NOW });
    expect([r.score, r.breakdown.policies[0]?.contribution]).toEqual([0, 0]);
  });

  it("returns null when no policy applies: none, disabled, or targeting other types", () => {
    const none = scoreProject(input(), [], { now: NOW, levels: [{ name: "any", min_score: 0 }] });
    expect([none.score, none.level]).toEqual([null, null]);
    const off = [presence("a", 10, { enabled: false }), presence("b", 10, { targets: ["library"] })];
    const r = scoreProject(input(), off, { now: NOW });
    expect([r.score, r.breakdown.policies, r.breakdown.skipped]).toEqual([null, [], []]);
  });

  it("applies policies targeting one of the project's types", () => {
    const p = [presence("a", 10, { targets: ["library", "api"] }), presence("b", 10, { targets: ["cli"] })];
    const r = scoreProject(input({ project_types: ["api", "worker"], attributes: { owner: "o" } }), p, {
      now: NOW,
    });
    expect(r.breakdown.policies.map((x) => x.policy)).toEqual(["a"]);
    expect(r.score).toBe(100);
  });

  it("skips attribute, presence and age policies on attributes the types do not define", () => {
    const p = [
      presence("a", 10),
      policy({ slug: "b", category: "age", attribute_name: "reviewed", age_score_map: { "<1d": 1 } }),
      policy({ slug: "c", category: "link_presence", link_slug: "owner" }),
    ];
    const r = scoreProject(input({}, { knownAttributes: new Set(["reviewed"]) }), p, { now: NOW });
    expect(r.breakdown.policies.map((x) => x.policy)).toEqual(["b", "c"]);
    expect(r.breakdown.skipped).toEqual([{ policy: "a", reason: expect.stringContaining("'owner'") }]);
    const all = scoreProject(input({}, { knownAttributes: new Set() }), [presence("a", 10)], { now: NOW });
    expect([all.score, all.breakdown.skipped.length]).toEqual([null, 1]);
  });

  it("skips invalid stored policies instead of throwing, and re-applies defaults", () => {
    const overlapping = {
      ...presence("a", 10),
      category: "attribute",
      range_score_map: { "0..10": 1, "10..20": 2 },
    };
    const malformed = { ...presence("b", 10), weight: "heavy" };
    const legacy = {
      slug: "c",
      name: "C",
      category: "presence",
      attribute_name: "owner",
      created_at: TS,
      updated_at: TS,
    };
    const r = scoreProject(
      input({ attributes: { owner: "o" } }),
      [overlapping, malformed, legacy] as unknown as ScoringPolicy[],
      { now: NOW },
    );
    expect(r.breakdown.skipped.map((s) => s.policy)).toEqual(["a", "b"]);
    expect(r.breakdown.skipped[0]?.reason).toContain("overlaps");
    expect(r.breakdown.policies).toMatchObject([{ policy: "c", weight: 10, mapped_score: 100 }]);
    expect(r.score).toBe(100);
  });

  it("orders the breakdown by priority, then slug", () => {
    const p = [
      presence("b", 1),
      presence("a", 1),
      presence("z", 1, { priority: -1 }),
      presence("c", 1, { priority: 5 }),
    ];
    const r = scoreProject(input(), p, { now: NOW });
    expect(r.breakdown.policies.map((x) => x.policy)).toEqual(["z", "a", "b", "c"]);
  });

  it("sets the level from the levels given", () => {
    const levels = [
      { name: "bronze", min_score: 0 },
      { name: "gold", min_score: 80 },
      { name: "silver", min_score: 50 },
    ];
    const r = scoreProject(input({ attributes: { owner: "o" } }), [presence("a", 1)], { now: NOW, levels });
    expect(r.level).toBe("gold");
  });
});

describe("levelFor", () => {
  const levels = [
    { name: "silver", min_score: 50 },
    { name: "gold", min_score: 80 },
    { name: "bronze", min_score: 10 },
  ];

  it("picks the highest level whose min_score the score reaches", () => {
    expect([80, 79.99, 50, 10, 100].map((s) => levelFor(s, levels))).toEqual([
      "gold",
      "silver",
      "silver",
      "bronze",
      "gold",
    ]);
  });

  it("is null below every level, for a null score, and without levels", () => {
    expect([
      levelFor(9.99, levels),
      levelFor(null, levels),
      levelFor(90, undefined),
      levelFor(90, []),
    ]).toEqual([null, null, null, null]);
  });
});
