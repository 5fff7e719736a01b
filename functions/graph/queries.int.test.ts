import { nanoid } from "nanoid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { ClosureSchema, CyclesSchema, NeighbourhoodSchema, OrgGraphSchema, PathSchema } from "./schemas.ts";

let app: TestApp;
let reader: string;
let outsider: string;
const ids: Record<string, string> = {};
const slugOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0];
const id = (slug: string) => ids[slug] as string;

/** Seeds projects (team, types, archived) and DEPENDS_ON edges straight into the graph. */
async function seed(
  org: string,
  projects: [string, string, string[], boolean?][],
  edges: [string, string][],
) {
  await app.org(org);
  const g = app.db.graph;
  const now = new Date().toISOString();
  for (const team of ["core", "edge"])
    await g.query(
      "MATCH (o:Organization) WHERE o.slug = $org CREATE (:Team {id: $id, org_id: o.id, slug: $team, name: $team})-[:BELONGS_TO]->(o)",
      { org, id: nanoid(), team },
      ["x"],
    );
  for (const type of ["api", "lib"])
    await g.query(
      "MATCH (o:Organization) WHERE o.slug = $org CREATE (:ProjectType {id: $id, org_id: o.id, slug: $type, name: $type})-[:BELONGS_TO]->(o)",
      { org, id: nanoid(), type },
      ["x"],
    );
  for (const [slug, team, types, archived = false] of projects) {
    ids[slug] = nanoid();
    await g.query(
      `MATCH (o:Organization) WHERE o.slug = $org
       MATCH (t:Team) WHERE t.org_id = o.id AND t.slug = $team
       CREATE (p:Project {id: $id, org_id: o.id, slug: $slug, name: $slug, archived: $archived, created_at: $now, updated_at: $now})
       CREATE (p)-[:BELONGS_TO]->(o), (p)-[:OWNED_BY]->(t)`,
      { org, team, id: ids[slug], slug, archived, now },
      ["x"],
    );
    for (const type of types)
      await g.query(
        `MATCH (p:Project), (pt:ProjectType) WHERE p.id = $id AND pt.org_id = p.org_id AND pt.slug = $type
         CREATE (p)-[:TYPE]->(pt)`,
        { id: ids[slug], type },
        ["x"],
      );
  }
  for (const [a, b] of edges)
    await g.query(
      "MATCH (a:Project), (b:Project) WHERE a.id = $a AND b.id = $b CREATE (a)-[:DEPENDS_ON {created_at: $now}]->(b)",
      { a: ids[a], b: ids[b], now },
      ["x"],
    );
}

beforeAll(async () => {
  app = await startTestApp({ kv: "memory" });
  // chain a→b→c→d→old (old archived), diamond p→{q,r}→s, cycles x→y→z→x and x→y→x.
  await seed(
    "acme",
    [
      ["a", "core", ["api"]],
      ["b", "core", ["api"]],
      ["c", "core", ["api"]],
      ["d", "core", ["api"]],
      ["old", "core", ["api"], true],
      ["p", "edge", ["lib"]],
      ["q", "edge", ["lib"]],
      ["r", "edge", ["lib"]],
      ["s", "edge", ["api", "lib"]],
      ["x", "core", ["lib"]],
      ["y", "core", ["lib"]],
      ["z", "core", ["lib"]],
    ],
    [
      ["a", "b"],
      ["b", "c"],
      ["c", "d"],
      ["d", "old"],
      ["p", "q"],
      ["p", "r"],
      ["q", "s"],
      ["r", "s"],
      ["x", "y"],
      ["y", "z"],
      ["z", "x"],
      ["y", "x"],
    ],
  );
  await seed(
    "other",
    [
      ["o1", "core", ["api"]],
      ["o2", "core", ["api"]],
    ],
    [["o1", "o2"]],
  );
  reader = (await app.user("reader@imbi.test", [{ org: "acme", role: "readonly" }])).token;
  outsider = (await app.user("out@imbi.test", [{ org: "other", role: "developer" }])).token;
});
afterAll(() => app?.stop());

const get = (path: string, token = reader) =>
  app.json("GET", `/api/organizations/acme${path}`, undefined, token);
const depths = (nodes: { slug: string; depth: number }[]) =>
  Object.fromEntries(nodes.map((n) => [n.slug, n.depth]));
const edgeSlugs = (edges: { source: string; target: string }[]) =>
  edges.map((e) => `${slugOf(e.source)}>${slugOf(e.target)}`).sort();

describe("neighbourhood", () => {
  it.each([
    ["a", "downstream", 1, { a: 0, b: 1 }],
    ["a", "downstream", 2, { a: 0, b: 1, c: 2 }],
    ["a", "downstream", 3, { a: 0, b: 1, c: 2, d: 3 }],
    ["d", "upstream", 1, { d: 0, c: 1 }],
    ["d", "upstream", 2, { d: 0, c: 1, b: 2 }],
    ["d", "upstream", 3, { d: 0, c: 1, b: 2, a: 3 }],
    ["p", "downstream", 2, { p: 0, q: 1, r: 1, s: 2 }],
    ["s", "upstream", 1, { s: 0, q: 1, r: 1 }],
    ["x", "downstream", 5, { x: 0, y: 1, z: 2 }],
  ] as const)("%s %s depth %i", async (from, direction, depth, expected) => {
    const res = await get(`/projects/${id(from)}/dependencies?direction=${direction}&depth=${depth}`);
    expect(res.status).toBe(200);
    const body = NeighbourhoodSchema.parse(await res.json());
    expect(depths(body.nodes)).toEqual(expected);
    for (const e of edgeSlugs(body.edges)) {
      const [s, t] = e.split(">");
      expect(Object.keys(expected)).toEqual(expect.arrayContaining([s, t]));
    }
  });

  it("returns the edges among the nodes and each node's team", async () => {
    const body = NeighbourhoodSchema.parse(
      await (await get(`/projects/${id("p")}/dependencies?depth=2`)).json(),
    );
    expect(edgeSlugs(body.edges)).toEqual(["p>q", "p>r", "q>s", "r>s"]);
    expect(body.nodes.every((n) => n.team === "edge")).toBe(true);
    const cyc = NeighbourhoodSchema.parse(
      await (await get(`/projects/${id("x")}/dependencies?depth=2`)).json(),
    );
    expect(edgeSlugs(cyc.edges)).toEqual(["x>y", "y>x", "y>z", "z>x"]);
  });

  it("defaults to downstream depth 1", async () => {
    const body = NeighbourhoodSchema.parse(await (await get(`/projects/${id("b")}/dependencies`)).json());
    expect(depths(body.nodes)).toEqual({ b: 0, c: 1 });
  });
});

describe("closure", () => {
  it("follows the whole chain downstream and upstream, at minimum depth", async () => {
    const down = ClosureSchema.parse(await (await get(`/projects/${id("a")}/dependencies/closure`)).json());
    expect(depths(down.nodes)).toEqual({ a: 0, b: 1, c: 2, d: 3, old: 4 });
    expect(down.nodes.find((n) => n.slug === "old")?.archived).toBe(true);
    expect(down.truncated).toBe(false);
    const up = ClosureSchema.parse(
      await (await get(`/projects/${id("s")}/dependencies/closure?direction=upstream`)).json(),
    );
    expect(depths(up.nodes)).toEqual({ s: 0, q: 1, r: 1, p: 2 });
    const cyc = ClosureSchema.parse(await (await get(`/projects/${id("z")}/dependencies/closure`)).json());
    expect(depths(cyc.nodes)).toEqual({ z: 0, x: 1, y: 2 });
  });
});

describe("shortest path", () => {
  const path = (from: string, to: string) => get(`/graph/path?from=${from}&to=${to}`);

  it("finds the ordered shortest path", async () => {
    const body = PathSchema.parse(await (await path(id("a"), id("d"))).json());
    expect(body.nodes.map((n) => n.slug)).toEqual(["a", "b", "c", "d"]);
    expect(edgeSlugs(body.edges)).toEqual(["a>b", "b>c", "c>d"]);
    const diamond = PathSchema.parse(await (await path(id("p"), id("s"))).json());
    expect(diamond.nodes).toHaveLength(3);
    const cyc = PathSchema.parse(await (await path(id("z"), id("y"))).json());
    expect(cyc.nodes.map((n) => n.slug)).toEqual(["z", "x", "y"]);
  });

  it("answers 404 when there is no path, or a project is in another organization", async () => {
    await expectProblem(await path(id("d"), id("a")), 404, "NOT_FOUND");
    await expectProblem(await path(id("a"), id("p")), 404, "NOT_FOUND");
    const foreign = await expectProblem(await path(id("o1"), id("o2")), 404, "NOT_FOUND");
    expect(foreign.detail).not.toContain("o2");
  });
});

describe("cycles", () => {
  const canonical = (c: { slug: string }[]) => {
    const s = c.map((n) => n.slug);
    const i = s.indexOf([...s].sort()[0] as string);
    return [...s.slice(i), ...s.slice(0, i)].join(">");
  };

  it("finds exactly the cycles, each once", async () => {
    const body = CyclesSchema.parse(await (await get("/graph/cycles")).json());
    expect(body.cycles.map(canonical).sort()).toEqual(["x>y", "x>y>z"]);
    expect(body.components).toBe(1);
    expect(body.truncated).toBe(false);
  });

  it("caps the number returned", async () => {
    const body = CyclesSchema.parse(await (await get("/graph/cycles?limit=1")).json());
    expect(body.cycles).toHaveLength(1);
    expect(body.truncated).toBe(true);
  });
});

describe("organization graph", () => {
  const graph = async (q = "") => OrgGraphSchema.parse(await (await get(`/graph${q}`)).json());

  it("returns every live project and the edges among them", async () => {
    const body = await graph();
    expect(body.nodes.map((n) => n.slug)).toEqual(["a", "b", "c", "d", "p", "q", "r", "s", "x", "y", "z"]);
    expect(body.edges).toHaveLength(11);
    expect(body.nodes.find((n) => n.slug === "s")).toMatchObject({
      team: "edge",
      project_types: ["api", "lib"],
    });
    expect(JSON.stringify(body)).not.toContain(id("o1"));
  });

  it("filters by team, project type and archived", async () => {
    const team = await graph("?team=edge");
    expect(team.nodes.map((n) => n.slug)).toEqual(["p", "q", "r", "s"]);
    expect(team.edges).toHaveLength(4);
    const api = await graph("?project_type=api");
    expect(api.nodes.map((n) => n.slug)).toEqual(["a", "b", "c", "d", "s"]);
    expect(edgeSlugs(api.edges)).toEqual(["a>b", "b>c", "c>d"]);
    const archived = await graph("?archived=true");
    expect(archived.nodes.map((n) => n.slug)).toEqual(["old"]);
    expect(archived.edges).toEqual([]);
    expect((await graph("?team=nobody")).nodes).toEqual([]);
  });

  it("takes the project list's filters, blueprint attributes included", async () => {
    const bp = await app.json(
      "POST",
      "/api/blueprints",
      {
        slug: "graph-tier",
        name: "Tier",
        kind: "node",
        type: "Project",
        priority: 1,
        enabled: true,
        schema: { type: "object", properties: { tier: { type: "integer" } } },
      },
      app.adminToken,
    );
    expect(bp.status).toBe(201);
    for (const [slug, tier] of [
      ["a", 1],
      ["b", 1],
      ["c", 3],
    ] as const)
      await app.db.graph.query("MATCH (p:Project) WHERE p.id = $id SET p.tier = $tier RETURN p", {
        id: id(slug),
        tier,
      });
    const tier1 = await graph("?filter=tier:lte:1");
    expect(tier1.nodes.map((n) => n.slug)).toEqual(["a", "b"]);
    expect(edgeSlugs(tier1.edges)).toEqual(["a>b"]);
    expect((await graph("?filter=tier:exists&team=core")).nodes.map((n) => n.slug)).toEqual(["a", "b", "c"]);
    await expectProblem(await get("/graph?filter=nope:eq:1"), 400, "BAD_REQUEST");
    await expectProblem(await get("/graph?filter=tier:near:1"), 400, "BAD_REQUEST");
  });

  it("adds external endpoints with include_external", async () => {
    const api = await graph("?project_type=api&include_external=true");
    expect(edgeSlugs(api.edges)).toEqual(["a>b", "b>c", "c>d", "d>old", "q>s", "r>s"]);
    expect(api.nodes.filter((n) => n.external).map((n) => n.slug)).toEqual(["old", "q", "r"]);
    const archived = await graph("?archived=true&include_external=true");
    expect(archived.nodes.map((n) => [n.slug, n.external])).toEqual([
      ["d", true],
      ["old", false],
    ]);
  });
});

describe("access and validation", () => {
  it("needs credentials and membership of the organization", async () => {
    await expectProblem(await app.json("GET", "/api/organizations/acme/graph"), 401);
    await expectProblem(await get("/graph", outsider), 403, "FORBIDDEN");
    await expectProblem(await get(`/projects/${id("a")}/dependencies`, outsider), 403, "FORBIDDEN");
    await expectProblem(await get("/graph/cycles", outsider), 403, "FORBIDDEN");
  });

  it("answers 404 for another organization's project", async () => {
    await expectProblem(await get(`/projects/${id("o1")}/dependencies`), 404, "NOT_FOUND");
    await expectProblem(await get(`/projects/${id("o1")}/dependencies/closure`), 404, "NOT_FOUND");
  });

  it.each([
    `/projects/${"X".repeat(5)}/dependencies`,
    "/projects/AAAAAAAAAAAAAAAAAAAAA/dependencies?depth=0",
    "/projects/AAAAAAAAAAAAAAAAAAAAA/dependencies?depth=11",
    "/projects/AAAAAAAAAAAAAAAAAAAAA/dependencies?depth=two",
    "/projects/AAAAAAAAAAAAAAAAAAAAA/dependencies?direction=sideways",
    "/projects/AAAAAAAAAAAAAAAAAAAAA/dependencies?foo=1",
    "/projects/AAAAAAAAAAAAAAAAAAAAA/dependencies/closure?depth=2",
    "/graph/path?from=AAAAAAAAAAAAAAAAAAAAA",
    "/graph/path?from=AAAAAAAAAAAAAAAAAAAAA&to=Short!",
    "/graph/cycles?limit=0",
    "/graph?archived=maybe",
    "/graph?owner=me",
  ])("rejects %s with 400", async (path) => {
    await expectProblem(await get(path), 400, "VALIDATION_FAILED");
  });
});
