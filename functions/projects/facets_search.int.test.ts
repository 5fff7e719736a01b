import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedBlueprints, seedCatalog } from "../../test/harness/catalog.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { FacetListSchema, ProjectSchema, SearchResultSchema } from "./schemas.ts";

let app: TestApp;
const base = "/api/organizations/acme";
const get = (path: string, token = app.adminToken) => app.json("GET", path, undefined, token);
const create = async (org: string, over: Record<string, unknown>) => {
  const res = await app.json("POST", `/api/organizations/${org}/projects`, body(over), app.adminToken);
  expect(res.status).toBe(201);
  return ProjectSchema.parse(await res.json());
};
const facets = async (query: string) => {
  const res = await get(`${base}/projects/facets?${query}`);
  expect(res.status).toBe(200);
  return FacetListSchema.parse(await res.json()).data;
};
const search = async (q: string, extra = "", org = "acme") => {
  const res = await get(`/api/organizations/${org}/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status).toBe(200);
  return SearchResultSchema.parse(await res.json()).data;
};

beforeAll(async () => {
  app = await startTestApp();
  await seedCatalog(app, "acme");
  await seedCatalog(app, "other", { teams: ["payments-team"] });
  await seedBlueprints(app);
  await create("acme", {
    slug: "payments-api",
    name: "Payments API",
    description: "Takes card payments",
    tier: 1,
    environments: { production: {} },
  });
  await create("acme", {
    slug: "ledger",
    name: "Ledger",
    description: "Books every payment",
    tier: 1,
    team: "core",
  });
  await create("acme", {
    slug: "mailer",
    name: "Mailer",
    description: "Sends email",
    notes: "uses the payment gateway",
    tier: 2,
    team: "core",
    project_types: ["api", "worker"],
    on_call: "ops",
  });
  const old = await create("acme", { slug: "old-payments", name: "Old Payments", tier: 3 });
  await app.json("POST", `${base}/projects/${old.id}/archive`, undefined, app.adminToken);
  await create("other", { slug: "payments-elsewhere", name: "Payments Elsewhere", team: "payments-team" });
});
afterAll(() => app?.stop());

describe("facets", () => {
  it("counts by team, type, environment, archived and attribute under the filters", async () => {
    expect(await facets("field=team")).toEqual([
      { value: "core", count: 2 },
      { value: "payments", count: 1 },
    ]);
    expect(await facets("field=project_type")).toEqual([
      { value: "worker", count: 3 },
      { value: "api", count: 1 },
    ]);
    expect(await facets("field=environment")).toEqual([{ value: "production", count: 1 }]);
    expect(await facets("field=archived&archived=all")).toEqual([
      { value: false, count: 3 },
      { value: true, count: 1 },
    ]);
    expect(await facets("field=tier")).toEqual([
      { value: 1, count: 2 },
      { value: 2, count: 1 },
    ]);
    expect(await facets("field=tier&team=core")).toEqual([
      { value: 1, count: 1 },
      { value: 2, count: 1 },
    ]);
    expect(await facets("field=tier&filter=tier:gt:1&archived=all")).toEqual([
      { value: 2, count: 1 },
      { value: 3, count: 1 },
    ]);
  });

  it("counts an edge facet under another edge filter (the catalog's team → type counts)", async () => {
    // Without property filters the edge facets take a fast path; its edge filters must still apply.
    expect(await facets("field=project_type&team=core")).toEqual([
      { value: "worker", count: 2 },
      { value: "api", count: 1 },
    ]);
    expect(await facets("field=team&environment=production")).toEqual([{ value: "payments", count: 1 }]);
    expect(await facets("field=environment&team=core")).toEqual([]);
  });

  it("rejects unknown fields and parameters", async () => {
    await expectProblem(await get(`${base}/projects/facets?field=colour`), 400);
    await expectProblem(await get(`${base}/projects/facets?field=name`), 400);
    await expectProblem(await get(`${base}/projects/facets?field=team&x=1`), 400);
    await expectProblem(await get(`${base}/projects/facets`), 400);
  });
});

describe("search", () => {
  it("ranks name matches above description and attribute matches, with highlights", async () => {
    const hits = await search("payment");
    expect(hits[0]).toMatchObject({ kind: "project", slug: "payments-api" });
    // Relevance is `rank` (the schema requires it): `score` on a project is its health score.
    expect(hits[0]?.rank).toBeGreaterThan(0);
    expect(hits[0]?.highlights.name).toBe("<mark>Payments</mark> API");
    const slugs = hits.map((h) => h.slug);
    expect(slugs).toEqual(expect.arrayContaining(["payments-api", "ledger", "mailer", "payments"]));
    expect(slugs.indexOf("payments-api")).toBeLessThan(slugs.indexOf("ledger"));
    expect(hits.find((h) => h.slug === "ledger")?.highlights.description).toContain("<mark>payment</mark>");
    expect(hits.find((h) => h.slug === "mailer")?.highlights.attributes).toContain("<mark>payment</mark>");
    expect(hits.find((h) => h.slug === "payments")?.kind).toBe("team");
  });

  it("finds teams and types, tolerates typos, honours limit", async () => {
    expect((await search("worker")).map((h) => h.kind)).toContain("project_type");
    expect((await search("ledgr")).map((h) => h.slug)).toContain("ledger");
    expect(await search("payment", "&limit=1")).toHaveLength(1);
    expect(await search("zzzzqqq")).toEqual([]);
  });

  it("excludes archived projects unless asked, and other organizations", async () => {
    expect((await search("old payments")).map((h) => h.slug)).not.toContain("old-payments");
    expect((await search("old payments", "&include_archived=true")).map((h) => h.slug)).toContain(
      "old-payments",
    );
    const slugs = (await search("payments")).map((h) => h.slug);
    expect(slugs).not.toContain("payments-elsewhere");
    expect(slugs).not.toContain("payments-team");
    expect((await search("payments", "", "other")).map((h) => h.slug)).toContain("payments-elsewhere");
  });

  it("treats query syntax and injection text as data", async () => {
    for (const q of ["x'}) MATCH (n) DETACH DELETE n //", "$$ ; DROP TABLE x; --", "a & | ! :* ( )", "'"])
      expect(Array.isArray(await search(q))).toBe(true);
    expect((await search("payments")).length).toBeGreaterThan(0);
  });

  it("validates parameters and needs search:read in the org", async () => {
    await expectProblem(await get(`${base}/search`), 400);
    await expectProblem(await get(`${base}/search?q=x&limit=101`), 400);
    await expectProblem(await get(`${base}/search?q=x&foo=1`), 400);
    await expectProblem(await get(`${base}/search?q=x`, ""), 401);
    const outsider = await app.user("outsider@imbi.test", [{ org: "other", role: "admin" }]);
    await expectProblem(await get(`${base}/search?q=x`, outsider.token), 403);
  });
});
