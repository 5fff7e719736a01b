import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedBlueprints, seedCatalog } from "../../test/harness/catalog.ts";
import { expectProblem, walkPages } from "../../test/harness/http.ts";
import { ProjectPageSchema, ProjectSchema } from "./schemas.ts";

type P = ReturnType<typeof ProjectSchema.parse>;
let app: TestApp;
const all: P[] = [];
const base = "/api/organizations/acme/projects";
const get = (path: string) => app.json("GET", path, undefined, app.adminToken);
const slugsOf = async (query: string) => {
  const res = await get(`${base}?limit=500&${query}`);
  expect(res.status).toBe(200);
  return ProjectPageSchema.parse(await res.json())
    .data.map((p) => p.slug)
    .sort();
};

beforeAll(async () => {
  app = await startTestApp();
  await seedCatalog(app, "acme");
  await seedCatalog(app, "other");
  await seedBlueprints(app);
  const langs = ["python", "typescript", "go"];
  for (let i = 0; i < 23; i++) {
    const res = await app.json(
      "POST",
      base,
      body({
        slug: `p-${String(i).padStart(2, "0")}`,
        name: `Name ${String((i * 7) % 23).padStart(2, "0")}`,
        team: i % 2 ? "core" : "payments",
        project_types: i % 3 === 0 ? ["api", "worker"] : ["worker"],
        ...(i % 3 === 0 ? { on_call: "x" } : {}),
        environments: i % 4 === 0 ? { production: { url: `https://p${i}` } } : {},
        links: i % 5 === 0 ? { github: "https://gh" } : {},
        identifiers: i % 6 === 0 ? { sentry: `s${i}` } : {},
        tier: (i % 4) + 1,
        ...(i % 2 ? { language: langs[i % 3] } : {}),
        pci: i % 2 === 0,
        score_hint: i / 2,
      }),
      app.adminToken,
    );
    expect(res.status).toBe(201);
    all.push(ProjectSchema.parse(await res.json()));
  }
  await app.json("POST", "/api/organizations/other/projects", body({ slug: "p-99" }), app.adminToken);
  const archived = all[22] as P;
  await app.json("POST", `${base}/${archived.id}/archive`, undefined, app.adminToken);
});
afterAll(() => app?.stop());

const active = () => all.filter((p) => p.slug !== "p-22");
const slugs = (ps: P[]) => ps.map((p) => p.slug).sort();

describe("pagination", () => {
  it.each([
    ["slug", (a: P, b: P) => (a.slug < b.slug ? -1 : 1)],
    ["-slug", (a: P, b: P) => (a.slug > b.slug ? -1 : 1)],
    ["name", (a: P, b: P) => (a.name < b.name ? -1 : 1)],
    ["-name", (a: P, b: P) => (a.name > b.name ? -1 : 1)],
    ["created_at", (a: P, b: P) => (a.created_at + a.id < b.created_at + b.id ? -1 : 1)],
    ["-updated_at", (a: P, b: P) => (a.updated_at + a.id > b.updated_at + b.id ? -1 : 1)],
  ])("walks sort=%s with no dupes or gaps, by cursor and by Link", async (sort, cmp) => {
    const want = active()
      .sort(cmp)
      .map((p) => p.slug);
    for (const via of ["cursor", "link"] as const) {
      const items = await walkPages<P>(get, `${base}?limit=4&sort=${sort}`, via);
      expect(items.map((p) => p.slug)).toEqual(want);
    }
  });

  it("rejects a tampered cursor, a cursor of another sort and bad limits", async () => {
    await expectProblem(await get(`${base}?cursor=garbage`), 400);
    const first = ProjectPageSchema.parse(await (await get(`${base}?limit=2`)).json());
    await expectProblem(await get(`${base}?sort=name&cursor=${first.next_cursor}`), 400);
    await expectProblem(await get(`${base}?limit=0`), 400);
    await expectProblem(await get(`${base}?limit=501`), 400);
  });

  it("projects fields and rejects unknown parameters", async () => {
    const page = (await (await get(`${base}?limit=1&fields=slug`)).json()) as { data: unknown[] };
    expect(page.data).toEqual([{ id: all[0]?.id, slug: "p-00" }]);
    await expectProblem(await get(`${base}?colour=red`), 400, "VALIDATION_FAILED");
    await expectProblem(await get(`${base}?sort=colour`), 400);
    await expectProblem(await get(`${base}?fields=a-b`), 400);
  });
});

describe("filters", () => {
  it.each([
    ["team=core", (p: P) => p.team === "core"],
    ["project_type=api", (p: P) => p.project_types.includes("api")],
    ["environment=production", (p: P) => "production" in p.environments],
    ["has_link=github", (p: P) => "github" in p.links],
    ["has_identifier=sentry", (p: P) => "sentry" in p.identifiers],
    ["team=payments&project_type=api", (p: P) => p.team === "payments" && p.project_types.includes("api")],
    ["filter=tier:eq:2", (p: P) => p.tier === 2],
    ["filter=tier:ne:2", (p: P) => p.tier !== 2],
    ["filter=tier:lt:3", (p: P) => Number(p.tier) < 3],
    ["filter=tier:lte:3", (p: P) => Number(p.tier) <= 3],
    ["filter=tier:gt:3", (p: P) => Number(p.tier) > 3],
    ["filter=tier:gte:3", (p: P) => Number(p.tier) >= 3],
    ["filter=tier:in:1|4", (p: P) => p.tier === 1 || p.tier === 4],
    ["filter=tier:not_in:1|4", (p: P) => p.tier !== 1 && p.tier !== 4],
    ["filter=language:eq:go", (p: P) => p.language === "go"],
    ["filter=language:ne:go", (p: P) => p.language !== undefined && p.language !== "go"],
    ["filter=language:not_in:go|python", (p: P) => p.language === "typescript"],
    ["filter=language:exists", (p: P) => p.language !== undefined],
    ["filter=language:not_exists", (p: P) => p.language === undefined],
    ["filter=pci:eq:true", (p: P) => p.pci === true],
    ["filter=score_hint:gte:5.5", (p: P) => Number(p.score_hint) >= 5.5],
    ["filter=tier:gte:2&filter=pci:eq:false", (p: P) => Number(p.tier) >= 2 && p.pci === false],
    ["filter=on_call:exists", (p: P) => p.on_call !== undefined],
  ])("filters %s", async (query, pred) => {
    expect(await slugsOf(query)).toEqual(slugs(active().filter(pred)));
  });

  it("excludes archived projects by default; archived=true|all shows them", async () => {
    expect(await slugsOf("")).not.toContain("p-22");
    expect(await slugsOf("archived=true")).toEqual(["p-22"]);
    expect(await slugsOf("archived=all")).toEqual(slugs(all));
  });

  it("keeps organizations apart", async () => {
    expect(await slugsOf("")).not.toContain("p-99");
  });

  it.each([
    ["filter=colour:eq:red", "colour"],
    ["filter=tier:like:2", "like"],
    ["filter=tier:eq:high", "high"],
    ["filter=tier:eq:2.5", "2.5"],
    ["filter=pci:eq:yes", "yes"],
    ["filter=tier:eq", "needs a value"],
    ["filter=tags:eq:x", "exists"],
    ["filter=name:eq:x", "name"],
    ["filter=Tier:eq:1", "Tier"],
    ["filter=tier:in:1|x", "x"],
  ])("rejects %s naming %s", async (query, needle) => {
    const p = await expectProblem(await get(`${base}?${query}`), 400);
    expect(p.detail).toContain(needle);
  });

  it("treats injection-looking filter values as data", async () => {
    expect(await slugsOf(`filter=${encodeURIComponent("notes:eq:x' OR 1=1 //")}`)).toEqual([]);
    expect(await slugsOf(`team=${encodeURIComponent("x'}) MATCH (n) DETACH DELETE n //")}`)).toEqual([]);
    expect((await slugsOf("")).length).toBe(22);
  });
});
