import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness/app.ts";
import { countVertices, patchAs, seedProject } from "../../test/harness/catalog_requests.ts";
import { expectProblem, INJECTIONS, walkPages } from "../../test/harness/http.ts";
import { ProjectTypePageSchema, ProjectTypeSchema } from "./schemas.ts";

let app: TestApp;
let reader: string;
let outsider: string;
let superuser: string;
beforeAll(async () => {
  app = await startTestApp();
  await app.org("acme");
  await app.org("other");
  reader = (await app.user("reader@imbi.test", [{ org: "acme", role: "readonly" }])).token;
  outsider = (await app.user("outsider@imbi.test", [{ org: "other", role: "admin" }])).token;
  superuser = (await app.user("root@imbi.test", [], { isAdmin: true })).token;
});
afterAll(() => app?.stop());

const base = "/api/organizations/acme/project-types";
const create = (body: unknown, token = app.adminToken, org = "acme") =>
  app.json("POST", `/api/organizations/${org}/project-types`, body, token);
const get = (path: string, token = app.adminToken) => app.json("GET", path, undefined, token);
const del = (path: string, token = app.adminToken) => app.json("DELETE", path, undefined, token);

describe("project types", () => {
  it("creates with defaults, 201, Location and ETag", async () => {
    const res = await create({ slug: "http-api", name: "HTTP API" });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${base}/http-api`);
    const type = ProjectTypeSchema.parse(await res.json());
    expect(type).toMatchObject({ slug: "http-api", deployable: false, releasable: false, description: "" });
    const got = await get(`${base}/http-api`);
    expect(ProjectTypeSchema.parse(await got.json())).toEqual(type);
    expect(got.headers.get("etag")).toBe(res.headers.get("etag"));
    const lib = await create({ slug: "library", name: "Library", deployable: false, releasable: true });
    expect(ProjectTypeSchema.parse(await lib.json()).releasable).toBe(true);
  });

  it.each([
    ["string flag", { slug: "cli", name: "CLI", deployable: "true" }, "json.deployable"],
    ["null name", { slug: "cli", name: null }, "json.name"],
    ["bad slug", { slug: "c", name: "CLI" }, "json.slug"],
    ["unknown field", { slug: "cli", name: "CLI", icon: "x" }, "json"],
  ])("rejects a %s with 400", async (_, body, location) => {
    const problem = await expectProblem(await create(body), 400, "VALIDATION_FAILED");
    expect(problem.errors?.map((e) => e.location)).toContain(location);
  });

  it("answers 409 for a duplicate slug in the org, allows it in another, one concurrent winner", async () => {
    await expectProblem(await create({ slug: "http-api", name: "Again" }), 409, "CONFLICT");
    expect((await create({ slug: "http-api", name: "Theirs" }, app.adminToken, "other")).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => create({ slug: "race", name: `Race ${i}` })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it("enforces authentication and per-organization permissions", async () => {
    await expectProblem(await get(base, ""), 401);
    expect((await get(base, reader)).status).toBe(200);
    expect((await get(`${base}/http-api`, reader)).status).toBe(200);
    await expectProblem(await create({ slug: "nope", name: "x" }, reader), 403);
    const ops = [{ op: "replace", path: "/deployable", value: true }];
    await expectProblem(await patchAs(app, `${base}/http-api`, ops, { token: reader }), 403);
    await expectProblem(await del(`${base}/http-api`, reader), 403);
    for (const path of [base, `${base}/http-api`]) await expectProblem(await get(path, outsider), 403);
    await expectProblem(await create({ slug: "nope", name: "x" }, outsider), 403);
    expect((await create({ slug: "by-root", name: "Root" }, superuser)).status).toBe(201);
    await expectProblem(await get(`${base}/ghost`), 404);
    await expectProblem(await patchAs(app, `${base}/ghost`, ops), 404);
    await expectProblem(await del(`${base}/ghost`), 404);
  });

  it("patches with If-Match, renames, and guards read-only fields", async () => {
    const tag = (await get(`${base}/http-api`)).headers.get("etag") ?? "";
    const ops = [{ op: "replace", path: "/deployable", value: true }];
    await expectProblem(await patchAs(app, `${base}/http-api`, ops, { headers: { "If-Match": '"x"' } }), 412);
    const ok = await patchAs(app, `${base}/http-api`, ops, { headers: { "If-Match": tag } });
    expect(ProjectTypeSchema.parse(await ok.json()).deployable).toBe(true);
    const rename = [{ op: "replace", path: "/slug", value: "web-api" }];
    expect(ProjectTypeSchema.parse(await (await patchAs(app, `${base}/http-api`, rename)).json()).slug).toBe(
      "web-api",
    );
    await expectProblem(
      await patchAs(app, `${base}/web-api`, [{ op: "replace", path: "/slug", value: "race" }]),
      409,
    );
    for (const bad of [
      [{ op: "replace", path: "/org_id", value: "x" }],
      [{ op: "replace", path: "/releasable", value: "no" }],
      [{ op: "add", path: "/icon", value: "x" }],
    ])
      await expectProblem(await patchAs(app, `${base}/web-api`, bad), 400);
  });

  it("lists by slug, pages by cursor and Link, rejects unknown filters", async () => {
    for (let i = 0; i < 4; i++) await create({ slug: `type-${i}`, name: `T${i}` });
    const all = ProjectTypePageSchema.parse(await (await get(`${base}?limit=500`)).json()).data.map(
      (t) => t.slug,
    );
    expect(all).toEqual([...all].sort());
    for (const via of ["cursor", "link"] as const) {
      const walked = await walkPages<{ slug: string }>((p) => get(p), `${base}?limit=3`, via);
      expect(walked.map((t) => t.slug)).toEqual(all);
    }
    const theirs = ProjectTypePageSchema.parse(
      await (await get("/api/organizations/other/project-types")).json(),
    );
    expect(theirs.data.map((t) => t.name)).toEqual(["Theirs"]);
    await expectProblem(await get(`${base}?deployable=true`), 400, "VALIDATION_FAILED");
  });

  it("refuses to delete a type projects still have, with no cascade", async () => {
    await app.db.graph.query(
      `MATCH (o:Organization {slug: 'acme'}) CREATE (:Team {id: 't1', org_id: o.id, slug: 'core', name: 'Core'})-[:BELONGS_TO]->(o) RETURN 1`,
    );
    await seedProject(app, "acme", { slug: "api", team: "core", types: ["web-api", "library"] });
    const refused = await expectProblem(await del(`${base}/web-api`), 409, "CONFLICT");
    expect(refused.detail).toContain("at least one type");
    await expectProblem(await del(`${base}/web-api?cascade=true`), 400, "VALIDATION_FAILED");
    const before = await countVertices(app);
    expect((await del(`${base}/type-0`)).status).toBe(204);
    expect(await countVertices(app)).toBe(before - 1);
    await expectProblem(await get(`${base}/type-0`), 404);
    expect((await get(`${base}/web-api`)).status).toBe(200);
  });

  it("stores injection-looking text verbatim and deletes nothing", async () => {
    const before = await countVertices(app);
    for (const [i, text] of INJECTIONS.entries()) {
      expect((await create({ slug: `inj-${i}`, name: text, description: text })).status).toBe(201);
      const got = ProjectTypeSchema.parse(await (await get(`${base}/inj-${i}`)).json());
      expect([got.name, got.description]).toEqual([text, text]);
      const ops = [{ op: "replace", path: "/description", value: `${text}!` }];
      const patched = ProjectTypeSchema.parse(await (await patchAs(app, `${base}/inj-${i}`, ops)).json());
      expect(patched.description).toBe(`${text}!`);
    }
    expect(await countVertices(app)).toBe(before + INJECTIONS.length);
  });
});
