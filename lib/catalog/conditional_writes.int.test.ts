// Conditional writes carry their If-Match condition into the write statement itself: given the
// `updated_at` of a version that is no longer stored, they write nothing and answer 412. (The
// races that make this necessary are in test/postgres/concurrency.int.test.ts; here the stale
// version is simply an old one, so the rule is checked on both databases.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedCatalog } from "../../test/harness/catalog.ts";
import { DomainError } from "../errors.ts";
import { createPolicy, deletePolicy, getPolicy, updatePolicy } from "../scoring/policies.ts";
import { type OrgRef, resolveOrg } from "./org.ts";
import { deleteProject, setEnvironment, updateProject } from "./project_write.ts";
import { getProject } from "./projects.ts";

let app: TestApp;
let org: OrgRef;
beforeAll(async () => {
  app = await startTestApp({ kv: "memory", analytics: "embedded" });
  await seedCatalog(app, "acme");
  org = await resolveOrg(app.db.graph, "acme");
});
afterAll(() => app?.stop());

const STALE = "2000-01-01T00:00:00.000Z";
const precondition = (e: unknown) =>
  expect(e).toMatchObject({ name: "DomainError", code: "PRECONDITION_FAILED" });

async function project(slug: string) {
  const res = await app.json("POST", "/api/organizations/acme/projects", body({ slug }), app.adminToken);
  expect(res.status).toBe(201);
  return getProject(app.db.graph, org, ((await res.json()) as { id: string }).id);
}

describe("project writes with a stale version", () => {
  it("update: 412 and nothing written; the current version writes", async () => {
    const p = await project("cond-update");
    const next = { ...p, description: "changed" };
    precondition(await updateProject(app.db.graph, org, p, next, STALE).catch((e: unknown) => e));
    expect((await getProject(app.db.graph, org, p.id)).description).toBe(p.description);
    const done = await updateProject(app.db.graph, org, p, next, p.updated_at);
    expect(done.description).toBe("changed");
    expect(Date.parse(done.updated_at)).toBeGreaterThan(Date.parse(p.updated_at));
  });

  it("environment: 412 and the edge untouched", async () => {
    const p = await project("cond-env");
    const err = await setEnvironment(
      app.db.graph,
      org,
      p,
      "staging",
      { url: "https://s.example" },
      STALE,
    ).catch((e: unknown) => e);
    precondition(err);
    expect((await getProject(app.db.graph, org, p.id)).environments).toEqual({});
  });

  it("delete: 412 and the project stays; a missing one is still a 404", async () => {
    const p = await project("cond-delete");
    precondition(await deleteProject(app.db.graph, org, p.id, STALE).catch((e: unknown) => e));
    expect((await getProject(app.db.graph, org, p.id)).id).toBe(p.id);
    await deleteProject(app.db.graph, org, p.id, p.updated_at);
    const gone = await deleteProject(app.db.graph, org, p.id, p.updated_at).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(DomainError);
    expect(gone).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("scoring policy writes with a stale version", () => {
  it("update and delete: 412, and the policy is unchanged", async () => {
    const doc = {
      slug: "tier",
      name: "Tier",
      category: "attribute",
      attribute_name: "tier",
      weight: 10,
      value_score_map: { "1": 100 },
    };
    const created = await createPolicy(app.db.graph, doc);
    const { created_at: _c, updated_at: _u, ...rest } = created;
    precondition(
      await updatePolicy(app.db.graph, created.slug, { ...rest, weight: 20 }, STALE).catch((e: unknown) => e),
    );
    precondition(await deletePolicy(app.db.graph, created.slug, STALE).catch((e: unknown) => e));
    expect(await getPolicy(app.db.graph, created.slug)).toEqual(created);
    await deletePolicy(app.db.graph, created.slug, created.updated_at);
  });
});
