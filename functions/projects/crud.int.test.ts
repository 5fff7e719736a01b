import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { body, seedBlueprints, seedCatalog } from "../../test/harness/catalog.ts";
import { expectProblem, INJECTIONS } from "../../test/harness/http.ts";
import { ProjectSchema } from "./schemas.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await seedCatalog(app, "acme");
  await seedCatalog(app, "other");
  await seedBlueprints(app);
});
afterAll(() => app?.stop());

const base = "/api/organizations/acme/projects";
const create = (b: unknown, org = "acme") =>
  app.json("POST", `/api/organizations/${org}/projects`, b, app.adminToken);
const get = (id: string) => app.json("GET", `${base}/${id}`, undefined, app.adminToken);
const patch = (id: string, ops: unknown, headers: Record<string, string> = {}) =>
  app.request(`${base}/${id}`, {
    method: "PATCH",
    headers: {
      "Content-Type": "application/json-patch+json",
      Authorization: `Bearer ${app.adminToken}`,
      ...headers,
    },
    body: JSON.stringify(ops),
  });
const made = async (over: Record<string, unknown>) => {
  const res = await create(body(over));
  expect(res.status).toBe(201);
  return ProjectSchema.parse(await res.json());
};

describe("create", () => {
  it("creates with edges, defaults, Location and ETag; get returns the same", async () => {
    const res = await create(
      body({
        slug: "full",
        description: "All of it",
        project_types: ["api", "worker"],
        environments: { production: { url: "https://p.example", region: "eu" }, staging: {} },
        links: { github: "https://github.com/acme/full" },
        identifiers: { sentry: "full" },
        on_call: "team-pay",
        language: "go",
      }),
    );
    expect(res.status).toBe(201);
    const p = ProjectSchema.parse(await res.json());
    expect(p.id).toMatch(/^[\w-]{21}$/);
    expect(res.headers.get("location")).toBe(`${base}/${p.id}`);
    expect(p).toMatchObject({
      slug: "full",
      team: "payments",
      project_types: ["api", "worker"],
      environments: { production: { url: "https://p.example", region: "eu" }, staging: {} },
      links: { github: "https://github.com/acme/full" },
      identifiers: { sentry: "full" },
      archived: false,
      tier: 3,
      on_call: "team-pay",
      language: "go",
    });
    const got = await get(p.id);
    expect(got.headers.get("etag")).toBe(res.headers.get("etag"));
    expect(ProjectSchema.parse(await got.json())).toEqual(p);
    const proj = await app.json("GET", `${base}/${p.id}?fields=slug,team`, undefined, app.adminToken);
    expect(await proj.json()).toEqual({ id: p.id, slug: "full", team: "payments" });
    const schema = (await (
      await app.json("GET", `${base}/${p.id}/schema`, undefined, app.adminToken)
    ).json()) as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["tier", "on_call"]));
  });

  it.each([
    ["unknown team", { team: "ghost" }, "json.team"],
    ["unknown type", { project_types: ["ghost"] }, "json.project_types"],
    ["unknown environment", { environments: { moon: {} } }, "json.environments"],
    ["unknown link definition", { links: { wiki: "https://x" } }, "json.links"],
    ["no project types", { project_types: [] }, "json.project_types"],
    ["bad slug", { slug: "Bad Slug" }, "json.slug"],
    ["missing name", { name: undefined }, "json.name"],
    ["attribute of the wrong type", { tier: "high" }, "json.tier"],
    ["attribute out of range", { tier: 9 }, "json.tier"],
    ["attribute not in the enum", { language: "cobol" }, "json.language"],
    ["attribute no blueprint defines", { color: "red" }, "json.color"],
    ["required attribute missing", { project_types: ["api"] }, "json.on_call"],
    ["type-scoped attribute on another type", { on_call: "x" }, "json.on_call"],
    [
      "bad edge property name",
      { environments: { staging: { "Bad-Key": 1 } } },
      "json.environments.staging.Bad-Key",
    ],
    ["non-string link", { links: { github: 42 } }, "json.links.github"],
  ])("rejects %s with 400 naming it", async (_, over, location) => {
    const p = await expectProblem(await create(body({ slug: "bad", ...over })), 400, "VALIDATION_FAILED");
    expect(p.errors?.map((e) => e.location)).toContain(location);
  });

  it("names the unknown slug in the message and lists several errors", async () => {
    const p = await expectProblem(await create(body({ team: "ghost", tier: "x", language: 5 })), 400);
    expect(p.detail).toContain("ghost");
    const q = await expectProblem(await create(body({ tier: "x", language: 5 })), 400);
    expect(q.errors?.map((e) => e.location)).toEqual(expect.arrayContaining(["json.tier", "json.language"]));
  });

  it("lists the valid slugs next to an unknown one", async () => {
    const p = await expectProblem(
      await create(body({ project_types: ["api", "lambda"], team: "ghost" })),
      400,
    );
    expect(p.errors).toEqual(
      expect.arrayContaining([
        {
          location: "json.project_types",
          message: "unknown project type 'lambda' in organization 'acme' (valid: api, worker)",
        },
        {
          location: "json.team",
          message: "unknown team 'ghost' in organization 'acme' (valid: core, payments)",
        },
      ]),
    );
  });

  it("answers 409 for a duplicate slug in the org; another org may reuse it", async () => {
    await made({ slug: "dupe" });
    await expectProblem(await create(body({ slug: "dupe" })), 409, "CONFLICT");
    expect((await create(body({ slug: "dupe" }), "other")).status).toBe(201);
  });

  it("lets exactly one of 6 concurrent creates of one slug win", async () => {
    const res = await Promise.all(Array.from({ length: 6 }, () => create(body({ slug: "race" }))));
    expect(res.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const n = await app.db.graph.one("MATCH (p:Project) WHERE p.slug = 'race' RETURN count(p)");
    expect(Number(n?.v)).toBe(1);
  });

  it("stores injection strings verbatim in every writable text field", async () => {
    const before = Number((await app.db.graph.one("MATCH (n) RETURN count(n)"))?.v);
    for (const [i, text] of INJECTIONS.entries()) {
      const p = await made({
        slug: `inj-${i}`,
        name: text,
        description: text,
        links: { github: text },
        identifiers: { [`k${i}`]: text },
        notes: text,
        environments: { staging: { url: text } },
      });
      const got = ProjectSchema.parse(await (await get(p.id)).json());
      expect([got.name, got.description, got.links.github, got.identifiers[`k${i}`], got.notes]).toEqual(
        Array(5).fill(text),
      );
      expect(got.environments.staging?.url).toBe(text);
      const res = await patch(p.id, [{ op: "replace", path: "/notes", value: `${text}!` }]);
      expect(ProjectSchema.parse(await res.json()).notes).toBe(`${text}!`);
    }
    expect(Number((await app.db.graph.one("MATCH (n) RETURN count(n)"))?.v)).toBe(before + INJECTIONS.length);
  });
});

describe("patch, archive, environments, delete", () => {
  it("patches fields, edges and attributes; honours If-Match", async () => {
    const p = await made({ slug: "patchme", environments: { staging: { url: "https://s" } } });
    const tag = (await get(p.id)).headers.get("etag") ?? "";
    await expectProblem(
      await patch(p.id, [{ op: "replace", path: "/name", value: "N" }], { "If-Match": '"x"' }),
      412,
    );
    const res = await patch(
      p.id,
      [
        { op: "replace", path: "/name", value: "Renamed" },
        { op: "replace", path: "/team", value: "core" },
        { op: "replace", path: "/project_types", value: ["api"] },
        { op: "add", path: "/on_call", value: "pager" },
        { op: "remove", path: "/environments/staging" },
        { op: "add", path: "/environments/production", value: { url: "https://p" } },
        { op: "add", path: "/links/docs", value: "https://docs" },
        { op: "remove", path: "/tier" },
      ],
      { "If-Match": tag },
    );
    expect(res.status).toBe(200);
    const u = ProjectSchema.parse(await res.json());
    expect(u).toMatchObject({ name: "Renamed", team: "core", project_types: ["api"], on_call: "pager" });
    expect(u.environments).toEqual({ production: { url: "https://p" } });
    expect(u.links).toEqual({ docs: "https://docs" });
    expect(u.tier).toBe(3); // removed, then the blueprint default applies again
    expect(ProjectSchema.parse(await (await get(p.id)).json())).toEqual(u);
    await expectProblem(
      await patch(p.id, [{ op: "replace", path: "/name", value: "x" }], { "If-Match": tag }),
      412,
    );
  });

  it.each([
    [[{ op: "replace", path: "/id", value: "x" }], 400],
    [[{ op: "replace", path: "/org_id", value: "x" }], 400],
    [[{ op: "replace", path: "/archived", value: true }], 400],
    [[{ op: "replace", path: "/created_at", value: "x" }], 400],
    [[{ op: "test", path: "/name", value: "not it" }], 422],
    [[{ op: "replace", path: "/team", value: "ghost" }], 400],
    [[{ op: "replace", path: "/project_types", value: ["api"] }], 400],
    [[{ op: "add", path: "/tier", value: "x" }], 400],
    [[{ op: "remove", path: "/name" }], 400],
    [[{ op: "replace", path: "/slug", value: "dupe" }], 409],
  ])("rejects patch %j with %i", async (ops, status) => {
    const p = await made({ slug: `pr-${Math.random().toString(36).slice(2, 8)}` });
    await expectProblem(await patch(p.id, ops), status);
  });

  it("archives, unarchives and patches one environment edge", async () => {
    const p = await made({ slug: "arch" });
    const a = await app.json("POST", `${base}/${p.id}/archive`, undefined, app.adminToken);
    expect(ProjectSchema.parse(await a.json()).archived).toBe(true);
    const u = await app.json("POST", `${base}/${p.id}/unarchive`, undefined, app.adminToken);
    expect(ProjectSchema.parse(await u.json()).archived).toBe(false);
    const env = (b: unknown) =>
      app.json("PATCH", `${base}/${p.id}/environments/production`, b, app.adminToken);
    const e1 = ProjectSchema.parse(await (await env({ url: "https://prod", replicas: 3 })).json());
    expect(e1.environments.production).toEqual({ url: "https://prod", replicas: 3 });
    const e2 = ProjectSchema.parse(
      await (await env([{ op: "replace", path: "/replicas", value: 5 }])).json(),
    );
    expect(e2.environments.production).toEqual({ url: "https://prod", replicas: 5 });
    const e3 = ProjectSchema.parse(await (await env({ replicas: null })).json());
    expect(e3.environments.production).toEqual({ url: "https://prod" });
    await expectProblem(
      await app.json("PATCH", `${base}/${p.id}/environments/moon`, { url: "x" }, app.adminToken),
      400,
    );
    await expectProblem(await env({ url: 5 }), 400);
  });

  it("deletes with DEPENDS_ON edges; then 404", async () => {
    const p = await made({ slug: "gone" });
    const q = await made({ slug: "dependent" });
    await app.db.graph.query(
      "MATCH (a:Project), (b:Project) WHERE a.id = $a AND b.id = $b CREATE (a)-[:DEPENDS_ON {created_at: 'x'}]->(b) RETURN 1",
      { a: q.id, b: p.id },
    );
    const res = await app.json("DELETE", `${base}/${p.id}`, undefined, app.adminToken);
    expect(res.status).toBe(204);
    await expectProblem(await get(p.id), 404, "NOT_FOUND");
    await expectProblem(await app.json("DELETE", `${base}/${p.id}`, undefined, app.adminToken), 404);
    const deps = await app.db.graph.one(
      "MATCH (a:Project)-[d:DEPENDS_ON]->() WHERE a.id = $a RETURN count(d)",
      { a: q.id },
    );
    expect(Number(deps?.v)).toBe(0);
  });

  it("answers 404 for unknown ids and unknown orgs, and hides other orgs' projects", async () => {
    await expectProblem(await get("nope"), 404);
    const theirs = ProjectSchema.parse(await (await create(body({ slug: "theirs" }), "other")).json());
    await expectProblem(await get(theirs.id), 404);
    await expectProblem(await patch(theirs.id, [{ op: "replace", path: "/name", value: "x" }]), 404);
    await expectProblem(
      await app.json("GET", `/api/organizations/ghost/projects/${theirs.id}`, undefined, app.adminToken),
      404,
    );
  });
});
