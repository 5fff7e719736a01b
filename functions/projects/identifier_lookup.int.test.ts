import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findProjectsByIdentifier } from "../../lib/catalog/project_query.ts";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedCatalog } from "../../test/harness/catalog.ts";
import { expectProblem } from "../../test/harness/http.ts";
import { FacetListSchema, ProjectPageSchema, ProjectSchema } from "./schemas.ts";

// `GET …/projects?identifier=<source>:<id>`: finding the projects an external system's id belongs
// to (the inbound webhook gateway's lookup), through the list, the facets and the catalog helper.

let app: TestApp;
const ids: Record<string, string> = {};
const base = (org: string) => `/api/organizations/${org}/projects`;
const get = (path: string) => app.json("GET", path, undefined, app.adminToken);

async function create(org: string, slug: string, identifiers: Record<string, string>) {
  const res = await app.json("POST", base(org), body({ slug, name: slug, identifiers }), app.adminToken);
  expect(res.status, await res.clone().text()).toBe(201);
  ids[`${org}/${slug}`] = ProjectSchema.parse(await res.json()).id;
}

const slugsOf = async (org: string, identifier: string) => {
  const res = await get(`${base(org)}?identifier=${encodeURIComponent(identifier)}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return ProjectPageSchema.parse(await res.json()).data.map((p) => p.slug);
};

beforeAll(async () => {
  app = await startTestApp();
  await seedCatalog(app, "acme");
  await seedCatalog(app, "other");
  await create("acme", "svc-one", { github: "123456", sentry: "one" });
  await create("acme", "svc-two", { github: "654321" });
  // The same source and id a prefix of another's, and an id with colons.
  await create("acme", "svc-three", { github: "1234567", gitlab: "group:42" });
  await create("other", "svc-elsewhere", { github: "123456" });
});
afterAll(() => app?.stop());

describe("identifier lookup", () => {
  it("finds exactly the project carrying the source's id", async () => {
    expect(await slugsOf("acme", "github:123456")).toEqual(["svc-one"]);
    expect(await slugsOf("acme", "github:654321")).toEqual(["svc-two"]);
    expect(await slugsOf("acme", "sentry:one")).toEqual(["svc-one"]);
    // Another source's key with the same id, and an unknown id, match nothing.
    expect(await slugsOf("acme", "sentry:123456")).toEqual([]);
    expect(await slugsOf("acme", "github:999")).toEqual([]);
    // Combined with the other filters (ANDed).
    const res = await get(`${base("acme")}?identifier=github:123456&has_identifier=gitlab`);
    expect(ProjectPageSchema.parse(await res.json()).data).toEqual([]);
  });

  it("splits at the first colon: the id may contain colons", async () => {
    expect(await slugsOf("acme", "gitlab:group:42")).toEqual(["svc-three"]);
    expect(await slugsOf("acme", "gitlab:group")).toEqual([]);
  });

  it("keeps organizations apart", async () => {
    expect(await slugsOf("other", "github:123456")).toEqual(["svc-elsewhere"]);
    expect(await slugsOf("other", "github:654321")).toEqual([]);
  });

  it("applies to the facets", async () => {
    const res = await get(`${base("acme")}/facets?field=team&identifier=github:654321`);
    expect(res.status).toBe(200);
    expect(FacetListSchema.parse(await res.json()).data).toEqual([{ value: "payments", count: 1 }]);
  });

  it.each(["github", ":1", "github:", ":"])("answers 400 naming query.identifier for '%s'", async (bad) => {
    const problem = await expectProblem(
      await get(`${base("acme")}?identifier=${encodeURIComponent(bad)}`),
      400,
    );
    expect(problem.errors?.map((e) => e.location)).toContain("query.identifier");
    expect(problem.detail).toContain("<source>:<id>");
  });

  it("is a catalog helper for the webhook gateway", async () => {
    const { graph } = app.services;
    const acme = { id: await orgId("acme"), slug: "acme" };
    const found = await findProjectsByIdentifier(graph, acme, "github", "123456");
    expect(found.map((p) => p.id)).toEqual([ids["acme/svc-one"]]);
    expect((await findProjectsByIdentifier(graph, acme, "gitlab", "group:42")).map((p) => p.slug)).toEqual([
      "svc-three",
    ]);
    // Other doors get the same rules as the query parameter.
    await expect(findProjectsByIdentifier(graph, acme, "github", "")).rejects.toThrow("<source>:<id>");
    await expect(findProjectsByIdentifier(graph, acme, "git:hub", "1")).rejects.toThrow("':'");
    // A wrong organization finds none, even for an id another organization's project carries.
    const other = { id: await orgId("other"), slug: "other" };
    expect(await findProjectsByIdentifier(graph, other, "github", "654321")).toEqual([]);
    expect((await findProjectsByIdentifier(graph, other, "github", "123456")).map((p) => p.slug)).toEqual([
      "svc-elsewhere",
    ]);
  });
});

async function orgId(slug: string): Promise<string> {
  const row = await app.db.graph.one<{ id: string }>(
    "MATCH (o:Organization {slug: $slug}) RETURN o.id",
    { slug },
    ["id"],
  );
  return String(row?.id);
}
